// Sign-in, session, sign-out, step-up, own password, TOTP enrolment.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../errors/app-error.js';
import { DateTime, NoContent, Password, PermissionSchema, RoleSchema, errors } from '../http/schemas.js';
import type { AuthService } from './auth.service.js';
import type { UserPrincipal } from './principal.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { STEP_UP_WINDOW_MS, type SessionsService } from './sessions.service.js';

const Code = Type.String({ minLength: 1, maxLength: 16 });
const SessionUser = Type.Object(
  { id: Type.String(), username: Type.String(), role: RoleSchema },
  { additionalProperties: false },
);

const LoginBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 64 }),
    password: Password,
    totp: Type.Optional(Code),
    recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  },
  { additionalProperties: false },
);

const SessionView = Type.Object(
  {
    user: SessionUser,
    csrfToken: Type.String(),
    permissions: Type.Array(PermissionSchema),
    totpEnrollmentRequired: Type.Boolean(),
    stepUpValidUntil: Type.Union([DateTime, Type.Null()]),
  },
  { additionalProperties: false },
);

export interface AuthRoutesDeps {
  auth: AuthService;
  sessions: Pick<SessionsService, 'isSteppedUp'>;
  cookieName: string;
  secureCookies: boolean;
}

function sessionPrincipal(request: FastifyRequest): UserPrincipal {
  const principal = request.principal;
  if (principal?.kind !== 'user') throw new AppError('session_only');
  return principal;
}

export function authRoutes(deps: AuthRoutesDeps): FastifyPluginAsyncTypebox {
  const { auth, cookieName, secureCookies } = deps;
  const human = { requires: [], sessionOnly: true } as const;

  return async (app) => {
    app.post(
      '/api/auth/login',
      {
        config: { public: true, auditAction: 'auth.login' },
        schema: {
          operationId: 'auth.login',
          tags: ['auth'],
          body: LoginBody,
          response: {
            200: Type.Object({ user: SessionUser, csrfToken: Type.String() }, { additionalProperties: false }),
            ...errors(),
          },
        },
      },
      async (request, reply) => {
        request.auditNote.actorName = request.body.username.slice(0, 64);
        const result = await auth.login(request.body, {
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        request.auditNote.actorUserId = result.user.id;
        request.auditNote.actorName = result.user.username;
        setSessionCookie(reply, cookieName, secureCookies, result.id);
        return { user: result.user, csrfToken: result.csrfToken };
      },
    );

    app.get(
      '/api/auth/session',
      {
        config: { ...human, allowDuringTotpEnrollment: true },
        schema: { operationId: 'auth.session', tags: ['auth'], response: { 200: SessionView, ...errors() } },
      },
      async (request) => {
        const p = sessionPrincipal(request);
        const stepUpAt = p.session.stepUpAt;
        return {
          user: { id: p.userId, username: p.username, role: p.role },
          csrfToken: p.session.csrfToken,
          permissions: [...p.permissions],
          totpEnrollmentRequired: p.totpEnrollmentRequired,
          stepUpValidUntil:
            stepUpAt && deps.sessions.isSteppedUp(stepUpAt)
              ? new Date(stepUpAt.getTime() + STEP_UP_WINDOW_MS).toISOString()
              : null,
        };
      },
    );

    app.post(
      '/api/auth/logout',
      {
        config: { ...human, allowDuringTotpEnrollment: true },
        schema: { operationId: 'auth.logout', tags: ['auth'], response: { 204: NoContent, ...errors() } },
      },
      async (request, reply) => {
        await auth.logout(sessionPrincipal(request));
        clearSessionCookie(reply, cookieName, secureCookies);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/step-up',
      {
        config: human,
        schema: {
          operationId: 'auth.stepUp',
          tags: ['auth'],
          body: Type.Object({ password: Password, totp: Type.Optional(Code) }, { additionalProperties: false }),
          response: { 200: Type.Object({ stepUpValidUntil: DateTime }, { additionalProperties: false }), ...errors() },
        },
      },
      async (request) => {
        const at = await auth.stepUp(sessionPrincipal(request), request.body, request.ip);
        return { stepUpValidUntil: new Date(at.getTime() + STEP_UP_WINDOW_MS).toISOString() };
      },
    );

    app.post(
      '/api/auth/password',
      {
        config: { ...human, allowDuringTotpEnrollment: true },
        schema: {
          operationId: 'auth.changePassword',
          tags: ['auth'],
          body: Type.Object({ currentPassword: Password, newPassword: Password }, { additionalProperties: false }),
          response: { 204: NoContent, ...errors(422) },
        },
      },
      async (request, reply) => {
        await auth.changeOwnPassword(sessionPrincipal(request), request.body, request.ip);
        clearSessionCookie(reply, cookieName, secureCookies);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/auth/totp/enroll',
      {
        config: { ...human, allowDuringTotpEnrollment: true },
        schema: {
          operationId: 'auth.totpEnroll',
          tags: ['auth'],
          body: Type.Object({ password: Password }, { additionalProperties: false }),
          response: {
            200: Type.Object({ secret: Type.String(), otpauthUrl: Type.String() }, { additionalProperties: false }),
            ...errors(409),
          },
        },
      },
      async (request) => auth.beginTotpEnrollment(sessionPrincipal(request), request.body.password, request.ip),
    );

    app.post(
      '/api/auth/totp/confirm',
      {
        config: { ...human, allowDuringTotpEnrollment: true },
        schema: {
          operationId: 'auth.totpConfirm',
          tags: ['auth'],
          body: Type.Object({ code: Code }, { additionalProperties: false }),
          response: {
            200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }, { additionalProperties: false }),
            ...errors(409),
          },
        },
      },
      async (request) => auth.confirmTotpEnrollment(sessionPrincipal(request), request.body.code),
    );
  };
}
