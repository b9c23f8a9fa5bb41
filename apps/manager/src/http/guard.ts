// Deny by default. For every request, in order: the setup gate, the
// principal (API key header, else session cookie, never both), CSRF for
// cookies, the route's declared permissions, TOTP enrolment and step-up.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { isDangerous } from '@farm/contracts';
import type { AuthService } from '../auth/auth.service.js';
import { hasPermission } from '../auth/authorize.js';
import { csrfProblem, isSafeMethod, isSameOrigin } from '../auth/csrf.js';
import type { Principal } from '../auth/principal.js';
import type { SessionsService } from '../auth/sessions.service.js';
import type { ApiKeysService } from '../apikeys/apikeys.service.js';
import { AppError } from '../errors/app-error.js';
import type { SetupService } from '../setup/setup.service.js';

export interface GuardDeps {
  auth: Pick<AuthService, 'principalForSession'>;
  apiKeys: Pick<ApiKeysService, 'principalForKey'>;
  sessions: Pick<SessionsService, 'isSteppedUp'>;
  setup: Pick<SetupService, 'isComplete'>;
  sessionCookie: string;
  publicOrigin: string;
}

type Credential = { kind: 'apikey'; text: string } | { kind: 'cookie'; value: string } | { kind: 'none' };

/** A key is read from headers only (never the query string or a cookie). */
export function credentialOf(request: FastifyRequest, sessionCookie: string): Credential {
  const keyHeader = request.headers['x-api-key'];
  if (typeof keyHeader === 'string') return { kind: 'apikey', text: keyHeader.trim() };
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return { kind: 'apikey', text: match?.[1] ?? '' };
  }
  const cookie = request.cookies[sessionCookie];
  return cookie ? { kind: 'cookie', value: cookie } : { kind: 'none' };
}

export function needsStepUp(config: { requires?: readonly string[]; stepUp?: boolean }): boolean {
  return config.stepUp === true || (config.requires ?? []).some((p) => isDangerous(p as never));
}

export function registerGuard(app: FastifyInstance, deps: GuardDeps): void {
  async function resolvePrincipal(request: FastifyRequest): Promise<{ principal: Principal | null; badKey: boolean }> {
    const credential = credentialOf(request, deps.sessionCookie);
    switch (credential.kind) {
      case 'apikey': {
        const principal = await deps.apiKeys.principalForKey(credential.text, request.ip);
        return { principal, badKey: principal === null };
      }
      case 'cookie':
        return { principal: await deps.auth.principalForSession(credential.value), badKey: false };
      case 'none':
        return { principal: null, badKey: false };
    }
  }

  app.addHook('preParsing', async (request, _reply, payload) => {
    await check(request);
    return payload;
  });

  async function check(request: FastifyRequest): Promise<void> {
    if (request.is404) return;
    const config = request.routeOptions.config;
    if (!config.beforeSetup && !(await deps.setup.isComplete())) throw new AppError('setup_required');

    const { principal, badKey } = await resolvePrincipal(request);
    request.principal = principal;

    if (config.public) {
      // Sign-in and setup carry no session yet; still refuse cross-site posts.
      if (!isSafeMethod(request.method) && isSameOrigin(request.headers, deps.publicOrigin) === false) {
        throw new AppError('csrf_failed');
      }
      return;
    }
    if (!principal) throw new AppError('unauthenticated', { detail: badKey ? 'bad api key' : 'no credential' });
    if (principal.kind === 'user') {
      const problem = csrfProblem(request.method, request.headers, principal.session.csrfToken, deps.publicOrigin);
      if (problem) throw new AppError(problem);
    }
    if (config.sessionOnly && principal.kind !== 'user') throw new AppError('session_only');
    if (principal.kind === 'user' && principal.totpEnrollmentRequired && !config.allowDuringTotpEnrollment) {
      throw new AppError('totp_enrollment_required');
    }
    for (const permission of config.requires ?? []) {
      if (!hasPermission(principal, permission)) throw new AppError('forbidden', { detail: `missing ${permission}` });
    }
    if (needsStepUp(config)) {
      // Keys cannot re-enter a password, so † routes are for people only.
      if (principal.kind !== 'user' || !deps.sessions.isSteppedUp(principal.session.stepUpAt)) {
        throw new AppError('step_up_required');
      }
    }
  }
}
