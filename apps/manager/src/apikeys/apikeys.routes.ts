// Own API keys (create with step-up, list, revoke) and the admin view of all keys.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { API_KEY_PRESETS } from '@farm/contracts';
import { principalUserId } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import { DateTime, IdParams, NoContent, PermissionSchema, Uuid, errors } from '../http/schemas.js';
import type { ApiKeysService } from './apikeys.service.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ApiKeyView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    prefix: Type.String(),
    preset: Type.Enum(API_KEY_PRESETS),
    scopes: Type.Array(Type.String()),
    groupIds: Nullable(Type.Array(Type.String())),
    allowedCidrs: Nullable(Type.Array(Type.String())),
    expiresAt: DateTime,
    lastUsedAt: Nullable(DateTime),
    revokedAt: Nullable(DateTime),
    createdAt: DateTime,
  },
  { additionalProperties: false },
);

const CreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    preset: Type.Enum(API_KEY_PRESETS),
    permissions: Type.Optional(Type.Array(PermissionSchema, { minItems: 1, maxItems: 40 })),
    expiresInDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 730 })),
    groupIds: Type.Optional(Type.Array(Uuid, { maxItems: 100 })),
    allowedCidrs: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 20 })),
  },
  { additionalProperties: false },
);

export function apiKeysRoutes({ apiKeys }: { apiKeys: ApiKeysService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/apikeys',
      {
        config: { requires: ['apikeys.own'] },
        schema: {
          operationId: 'apikeys.listOwn',
          tags: ['apikeys'],
          response: { 200: Type.Object({ keys: Type.Array(ApiKeyView) }), ...errors() },
        },
      },
      async (request) => ({ keys: await apiKeys.listOwn(ownerOf(request.principal)) }),
    );

    app.post(
      '/api/apikeys',
      {
        // SECURITY.md: creating a key is a step-up action even though apikeys.own is not †.
        config: { requires: ['apikeys.own'], stepUp: true },
        schema: {
          operationId: 'apikeys.create',
          tags: ['apikeys'],
          body: CreateBody,
          response: {
            201: Type.Object({ key: Type.String(), apiKey: ApiKeyView }, { additionalProperties: false }),
            ...errors(404, 422),
          },
        },
      },
      async (request, reply) => {
        const { key, record } = await apiKeys.create(ownerOf(request.principal), request.body);
        request.auditNote.target = record.id;
        return reply.status(201).send({ key, apiKey: record });
      },
    );

    app.delete(
      '/api/apikeys/:id',
      {
        config: { requires: ['apikeys.own'] },
        schema: {
          operationId: 'apikeys.revokeOwn',
          tags: ['apikeys'],
          params: IdParams,
          response: { 204: NoContent, ...errors(404) },
        },
      },
      async (request, reply) => {
        await apiKeys.revokeOwn(ownerOf(request.principal), request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/admin/apikeys',
      {
        config: { requires: ['apikeys.any'] },
        schema: {
          operationId: 'apikeys.listAll',
          tags: ['apikeys'],
          response: {
            200: Type.Object({
              keys: Type.Array(
                Type.Object(
                  { ...ApiKeyView.properties, userId: Type.String(), username: Type.String() },
                  { additionalProperties: false },
                ),
              ),
            }),
            ...errors(),
          },
        },
      },
      async () => ({ keys: await apiKeys.listAll() }),
    );

    app.delete(
      '/api/admin/apikeys/:id',
      {
        config: { requires: ['apikeys.any'] },
        schema: {
          operationId: 'apikeys.revokeAny',
          tags: ['apikeys'],
          params: IdParams,
          response: { 204: NoContent, ...errors(404) },
        },
      },
      async (request, reply) => {
        await apiKeys.revokeAny(request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
}

function ownerOf(principal: Parameters<typeof principalUserId>[0] | null): string {
  const id = principal ? principalUserId(principal) : null;
  if (!id) throw new AppError('unauthenticated');
  return id;
}
