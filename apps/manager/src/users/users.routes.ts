// Admin user API, invites, and printer groups (for assigning users).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalUserId } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import { DateTime, IdParams, NoContent, Password, RoleSchema, Username, Uuid, errors } from '../http/schemas.js';
import type { InvitesService } from './invites.service.js';
import type { PrinterGroupsRepository } from './printer-groups.repository.js';
import type { UsersService } from './users.service.js';

export const UserView = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    role: RoleSchema,
    disabled: Type.Boolean(),
    totpEnabled: Type.Boolean(),
    createdAt: DateTime,
    groupIds: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

const GroupIds = Type.Array(Uuid, { maxItems: 100 });

export interface UsersRoutesDeps {
  users: UsersService;
  invites: InvitesService;
  groups: PrinterGroupsRepository;
}

export function usersRoutes({ users, invites, groups }: UsersRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/users',
      {
        config: { requires: ['users.read'] },
        schema: {
          operationId: 'users.list',
          tags: ['users'],
          response: { 200: Type.Object({ users: Type.Array(UserView) }), ...errors() },
        },
      },
      async () => ({ users: await users.list() }),
    );

    app.post(
      '/api/users',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.create',
          tags: ['users'],
          body: Type.Object(
            { username: Username, password: Password, role: RoleSchema, groupIds: Type.Optional(GroupIds) },
            { additionalProperties: false },
          ),
          response: { 201: UserView, ...errors(409, 422) },
        },
      },
      async (request, reply) => {
        const user = await users.create(request.body);
        request.auditNote.target = user.id;
        return reply.status(201).send(user);
      },
    );

    app.patch(
      '/api/users/:id',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.update',
          tags: ['users'],
          params: IdParams,
          body: Type.Object(
            {
              role: Type.Optional(RoleSchema),
              disabled: Type.Optional(Type.Boolean()),
              groupIds: Type.Optional(GroupIds),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: UserView, ...errors(404, 409) },
        },
      },
      async (request) => users.update(request.params.id, request.body),
    );

    app.delete(
      '/api/users/:id',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.delete',
          tags: ['users'],
          params: IdParams,
          response: { 204: NoContent, ...errors(404, 409) },
        },
      },
      async (request, reply) => {
        await users.remove(request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/:id/reset-password',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.resetPassword',
          tags: ['users'],
          params: IdParams,
          body: Type.Object({ password: Password }, { additionalProperties: false }),
          response: { 204: NoContent, ...errors(404, 422) },
        },
      },
      async (request, reply) => {
        await users.resetPassword(request.params.id, request.body.password);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/:id/reset-totp',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.resetTotp',
          tags: ['users'],
          params: IdParams,
          response: { 204: NoContent, ...errors(404) },
        },
      },
      async (request, reply) => {
        await users.resetTotp(request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/users/invites',
      {
        config: { requires: ['users.manage'] },
        schema: {
          operationId: 'users.invite',
          tags: ['users'],
          body: Type.Object({ role: RoleSchema, groupIds: Type.Optional(GroupIds) }, { additionalProperties: false }),
          response: {
            201: Type.Object(
              { id: Type.String(), url: Type.String(), token: Type.String(), expiresAt: DateTime },
              { additionalProperties: false },
            ),
            ...errors(),
          },
        },
      },
      async (request, reply) => {
        const by = request.principal ? principalUserId(request.principal) : null;
        if (!by) throw new AppError('unauthenticated');
        const invite = await invites.create(by, request.body);
        request.auditNote.target = invite.id;
        return reply.status(201).send(invite);
      },
    );

    app.post(
      '/api/invites/accept',
      {
        config: { public: true, auditAction: 'invites.accept' },
        schema: {
          operationId: 'invites.accept',
          tags: ['users'],
          body: Type.Object(
            { token: Type.String({ minLength: 1, maxLength: 128 }), username: Username, password: Password },
            { additionalProperties: false },
          ),
          response: { 201: UserView, ...errors(409, 422) },
        },
      },
      async (request, reply) => {
        request.auditNote.actorName = request.body.username;
        const user = await invites.accept(request.body);
        request.auditNote.actorUserId = user.id;
        request.auditNote.target = user.id;
        return reply.status(201).send(user);
      },
    );

    app.get(
      '/api/printer-groups',
      {
        config: { requires: ['users.read'] },
        schema: {
          operationId: 'printerGroups.list',
          tags: ['users'],
          response: {
            200: Type.Object({
              groups: Type.Array(
                Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false }),
              ),
            }),
            ...errors(),
          },
        },
      },
      async () => ({ groups: await groups.list() }),
    );
  };
}
