// The OpenAPI document, for admins only (nothing disclosing by default).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../http/schemas.js';

export function openapiRoutes(): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/openapi.json',
      {
        // An admin-only, non-† read permission: the document describes the admin surface.
        config: { requires: ['audit.read'] },
        schema: {
          operationId: 'openapi.get',
          tags: ['meta'],
          hide: true,
          response: { 200: Type.Object({}, { additionalProperties: true }), ...errors() },
        },
      },
      async () => app.swagger() as unknown as Record<string, unknown>,
    );
  };
}
