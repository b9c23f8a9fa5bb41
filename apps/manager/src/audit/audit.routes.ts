// GET /api/audit: newest first, filters, and paging by id cursor.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { DateTime, DateTimeInput, Uuid, errors } from '../http/schemas.js';
import type { AuditRepository } from './audit.repository.js';

const Outcome = Type.Enum(['success', 'denied', 'failure']);
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const AuditRowView = Type.Object(
  {
    id: Type.Integer(),
    at: DateTime,
    actorKind: Type.Enum(['user', 'apikey', 'system', 'anonymous']),
    actorUserId: Nullable(Type.String()),
    actorApiKeyId: Nullable(Type.String()),
    actorName: Nullable(Type.String()),
    action: Type.String(),
    target: Nullable(Type.String()),
    outcome: Outcome,
    reason: Nullable(Type.String()),
    ip: Nullable(Type.String()),
    requestId: Nullable(Type.String()),
  },
  { additionalProperties: false },
);

const Query = Type.Object(
  {
    actorUserId: Type.Optional(Uuid),
    action: Type.Optional(Type.String({ maxLength: 100 })),
    outcome: Type.Optional(Outcome),
    from: Type.Optional(DateTimeInput),
    to: Type.Optional(DateTimeInput),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);

export function auditRoutes({ audit }: { audit: Pick<AuditRepository, 'list'> }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/audit',
      {
        config: { requires: ['audit.read'] },
        schema: {
          operationId: 'audit.list',
          tags: ['audit'],
          querystring: Query,
          response: {
            200: Type.Object({
              items: Type.Array(AuditRowView),
              nextBefore: Type.Union([Type.Integer(), Type.Null()]),
            }),
            ...errors(),
          },
        },
      },
      async (request) => {
        const q = request.query;
        const limit = q.limit ?? 50;
        const items = await audit.list({
          actorUserId: q.actorUserId,
          action: q.action,
          outcome: q.outcome,
          from: q.from ? new Date(q.from) : undefined,
          to: q.to ? new Date(q.to) : undefined,
          before: q.before,
          limit,
        });
        const last = items.at(-1);
        return { items, nextBefore: items.length === limit && last ? last.id : null };
      },
    );
  };
}
