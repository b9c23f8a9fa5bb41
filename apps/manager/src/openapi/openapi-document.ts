// The OpenAPI document as committed text, so the file and the check agree byte for byte.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createDb } from '@farm/db';
import { buildApp } from '../app.js';
import { loadConfig } from '../config/index.js';

export const OPENAPI_FILE = new URL('../../openapi.json', import.meta.url);

export function openApiText(app: FastifyInstance): string {
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}

/** Builds the app without touching Postgres or Redis (both connect lazily) and renders its document. */
export async function renderOpenApiOffline(): Promise<string> {
  const secret = () => randomBytes(32).toString('base64url');
  const config = loadConfig(
    {
      DATABASE_URL: 'postgres://openapi@127.0.0.1:1/none',
      REDIS_URL: 'redis://127.0.0.1:1',
      SESSION_SECRET: secret(),
      JOB_SIGNING_SECRET: secret(),
      DATA_ENCRYPTION_KEY: secret(),
      LOG_LEVEL: 'silent',
    },
    { generateSecrets: false },
  );
  const db = createDb({ url: config.databaseUrl, maxConnections: 1 });
  const redis = new Redis(config.redisUrl, { lazyConnect: true, enableOfflineQueue: false });
  const app = await buildApp({ config, db, redis });
  try {
    await app.ready();
    return openApiText(app);
  } finally {
    await app.close();
    await db.destroy();
    redis.disconnect();
  }
}
