// Hosts for admins (printer.manage †, so step-up; every change audited).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { DateTime, IdParams, errors } from '../http/schemas.js';
import type { HostsService } from './hosts.service.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** Printable names without control characters or path separators, like printer names. */
export const HostName = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._()-]{0,63}$' });

export const HostView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    tokenPrefix: Type.String(),
    createdAt: DateTime,
    lastSeenAt: Nullable(DateTime),
    revokedAt: Nullable(DateTime),
    online: Type.Boolean(),
  },
  { additionalProperties: false },
);

/** The token is in this answer only; it is stored as a hash. */
const WithToken = Type.Object(
  { host: HostView, token: Type.String({ pattern: HOST_TOKEN_PATTERN }) },
  { additionalProperties: false },
);

export function hostsRoutes({ hosts }: { hosts: HostsService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/hosts',
      {
        config: { requires: ['printer.manage'] },
        schema: {
          operationId: 'hosts.list',
          tags: ['hosts'],
          response: { 200: Type.Object({ hosts: Type.Array(HostView) }, { additionalProperties: false }), ...errors() },
        },
      },
      async (request) => ({ hosts: await hosts.list(request.principal) }),
    );

    app.post(
      '/api/hosts',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'hosts.create',
          tags: ['hosts'],
          body: Type.Object({ name: HostName }, { additionalProperties: false }),
          response: { 201: WithToken, ...errors(409) },
        },
      },
      async (request, reply) => {
        const created = await hosts.create(request.principal, request.body.name);
        request.auditNote.target = created.host.id;
        return reply.status(201).send(created);
      },
    );

    app.post(
      '/api/hosts/:id/rotate-token',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'hosts.rotateToken',
          tags: ['hosts'],
          params: IdParams,
          response: { 200: WithToken, ...errors(404, 409) },
        },
      },
      async (request) => hosts.rotateToken(request.principal, request.params.id),
    );

    app.post(
      '/api/hosts/:id/revoke',
      {
        config: { requires: ['printer.manage'], stepUp: true },
        schema: {
          operationId: 'hosts.revoke',
          tags: ['hosts'],
          params: IdParams,
          response: { 200: Type.Object({ host: HostView }, { additionalProperties: false }), ...errors(404) },
        },
      },
      async (request) => ({ host: await hosts.revoke(request.principal, request.params.id) }),
    );
  };
}
