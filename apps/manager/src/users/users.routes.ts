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

    const GroupView = Type.Object({ id: Type.String(), name: Type.String() }, { additionalProperties: false });
    const GroupBody = Type.Object({ name: GroupName }, { additionalProperties: false });

    app.post(
      '/api/printer-groups',
      {
        config: { requires: ['users.manage'] },
        schema: { operationId: 'printerGroups.create', tags: ['users'], body: GroupBody, response: { 201: GroupView, ...errors() } },
      },
      async (request, reply) => {
        const group = await uniqueName(() => groups.create(request.body.name));
        request.auditNote.target = group.id;
        return reply.status(201).send(group);
      },
    );

    app.patch(
      '/api/printer-groups/:id',
      {
        config: { requires: ['users.manage'] },
        schema: { operationId: 'printerGroups.rename', tags: ['users'], params: IdParams, body: GroupBody, response: { 200: GroupView, ...errors() } },
      },
      async (request) => {
        const group = await uniqueName(() => groups.rename(request.params.id, request.body.name));
        if (!group) throw new AppError('not_found');
        return group;
      },
    );

    app.delete(
      '/api/printer-groups/:id',
      {
        config: { requires: ['users.manage'] },
        schema: { operationId: 'printerGroups.delete', tags: ['users'], params: IdParams, response: { 204: NoContent, ...errors() } },
      },
      async (request, reply) => {
        let removed: boolean;
        try {
          removed = await groups.remove(request.params.id);
        } catch (error) {
          if ((error as { code?: unknown }).code === FOREIGN_KEY_VIOLATION)
            throw new AppError('conflict', { message: 'Move or retire the printers of this group first.' });
          throw error;
        }
        if (!removed) throw new AppError('not_found');
        return reply.status(204).send(null);
      },
    );
  };
}

const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const GroupName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}$' });

async function uniqueName<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if ((error as { code?: unknown }).code === UNIQUE_VIOLATION) throw new AppError('conflict', { message: 'A printer group with this name exists.' });
    throw error;
  }
}
