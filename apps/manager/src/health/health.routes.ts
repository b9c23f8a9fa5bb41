// GET /api/health: only whether Postgres and Redis answer; no version.
import { sql, type Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '@farm/db';

const Health = Type.Object({ postgres: Type.Boolean(), redis: Type.Boolean() }, { additionalProperties: false });

export function healthRoutes(deps: { db: Kysely<Database>; redis: Redis }): FastifyPluginAsyncTypebox {
  const withTimeout = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);

  return async (app) => {
    app.get(
      '/api/health',
      {
        config: { public: true, beforeSetup: true },
        schema: { operationId: 'health.get', tags: ['health'], response: { 200: Health, 503: Health } },
      },
      async (_request, reply) => {
        const [postgres, redis] = await Promise.all([
          withTimeout(sql`SELECT 1`.execute(deps.db)).then(
            () => true,
            () => false,
          ),
          withTimeout(deps.redis.ping()).then(
            (r) => r === 'PONG',
            () => false,
          ),
        ]);
        return reply.status(postgres && redis ? 200 : 503).send({ postgres, redis });
      },
    );
  };
}
