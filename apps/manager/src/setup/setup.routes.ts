// First-start setup: POST /api/setup with the one-time token.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Password, RoleSchema, Username, errors } from '../http/schemas.js';
import type { SetupService } from './setup.service.js';

const SetupBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 128 }),
    username: Username,
    password: Password,
    instanceName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    // SECURITY.md: both acknowledgements are mandatory and stored with the admin's id.
    acknowledgements: Type.Object(
      { unattendedPrinting: Type.Literal(true), networkExposure: Type.Literal(true) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

const CreatedAdmin = Type.Object(
  {
    user: Type.Object(
      { id: Type.String(), username: Type.String(), role: RoleSchema },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export function setupRoutes(deps: { setup: SetupService }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/setup/status',
      {
        config: { public: true, beforeSetup: true },
        schema: {
          operationId: 'setup.status',
          tags: ['setup'],
          response: { 200: Type.Object({ setupRequired: Type.Boolean() }, { additionalProperties: false }) },
        },
      },
      async () => ({ setupRequired: !(await deps.setup.isComplete()) }),
    );

    app.post(
      '/api/setup',
      {
        config: { public: true, beforeSetup: true },
        schema: {
          operationId: 'setup.complete',
          tags: ['setup'],
          body: SetupBody,
          response: { 201: CreatedAdmin, ...errors(410, 422) },
        },
      },
      async (request, reply) => {
        request.auditNote.actorName = request.body.username;
        const user = await deps.setup.complete(request.body);
        request.auditNote.actorUserId = user.id;
        request.auditNote.target = user.id;
        return reply.status(201).send({ user: { id: user.id, username: user.username, role: user.role } });
      },
    );
  };
}
