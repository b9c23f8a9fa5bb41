// Builds the real app against this file's own database and Redis prefix, and
// speaks to it as a browser (cookie + CSRF + Origin) or as an API key.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import { createDb, type Database } from '@farm/db';
import { buildApp } from '../../src/app.js';
import { loadConfig, type ManagerConfig } from '../../src/config/index.js';
import type { ThrottleLimits } from '../../src/auth/login-throttle.js';
import type { HashCost } from '../../src/auth/password-hasher.js';
import { createTestEnv } from '../../../../test/support/test-env.js';

export const ORIGIN = 'http://farm.test';
export const ADMIN_PASSWORD = 'correct horse battery staple 42';
export const USER_PASSWORD = 'operator-Passphrase-9731';

/** Still argon2id, at a cost that keeps the suite fast; production uses DEFAULT_HASH_COST. Every test path uses it. */
export const TEST_HASH_COST: HashCost = { memoryCost: 1024, timeCost: 1 };

export class TestClock {
  t = Date.parse('2026-03-01T10:00:00Z');
  now = () => new Date(this.t);
  advance(ms: number) {
    this.t += ms;
  }
}

export interface Harness {
  app: FastifyInstance;
  db: Kysely<Database>;
  redis: Redis;
  config: ManagerConfig;
  clock: TestClock;
  logs: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  throttle?: Partial<ThrottleLimits>;
  rateLimitPerMinute?: number;
  /** Extra routes registered before the app is ready (to test the pipeline itself). */
  extraRoutes?: (app: FastifyInstance) => void;
  redisUrl?: string;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const testEnv = await createTestEnv();
  const config = loadConfig(
    {
      DATABASE_URL: testEnv.databaseUrl,
      REDIS_URL: testEnv.redisUrl,
      REDIS_PREFIX: testEnv.redisPrefix,
      PUBLIC_URL: ORIGIN,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'farm-manager-')),
      SESSION_SECRET: randomBytes(32).toString('base64url'),
      JOB_SIGNING_SECRET: randomBytes(32).toString('base64url'),
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64url'),
      ADMIN_TOTP_REQUIRED: 'false',
      LOG_LEVEL: 'info',
      ...options.env,
    },
    { generateSecrets: false },
  );
  const db = createDb({ url: config.databaseUrl, maxConnections: 10 });
  const redis = new Redis(
    options.redisUrl ?? config.redisUrl,
    options.redisUrl ? { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false } : {},
  );
  redis.on('error', () => undefined);
  const clock = new TestClock();
  const logs: string[] = [];
  const logDestination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const app = await buildApp({
    config,
    db,
    redis,
    clock,
    logDestination,
    throttle: options.throttle,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 100_000,
    hashCost: TEST_HASH_COST,
  });
  options.extraRoutes?.(app);
  await app.ready();
  return {
    app,
    db,
    redis,
    config,
    clock,
    logs,
    async close() {
      await app.close();
      await db.destroy();
      if (options.redisUrl) redis.disconnect();
      else await redis.quit();
    },
  };
}

export interface Session {
  cookie: string;
  csrfToken: string;
  userId: string;
}

export type Caller = Session | { apiKey: string } | null;

/** A request as a same-origin browser with a session, as an API key, or anonymously. */
export function call(h: Harness, caller: Caller, options: InjectOptions): Promise<LightMyRequestResponse> {
  const headers: Record<string, string> = { ...(options.headers as Record<string, string> | undefined) };
  if (caller && 'cookie' in caller) {
    headers.cookie ??= caller.cookie;
    headers.origin ??= ORIGIN;
    headers['x-csrf-token'] ??= caller.csrfToken;
  } else if (caller && 'apiKey' in caller) {
    headers['x-api-key'] ??= caller.apiKey;
  }
  return h.app.inject({ ...options, headers });
}

export async function completeSetup(h: Harness, username = 'admin', password = ADMIN_PASSWORD) {
  const issued = await h.app.services.setup.issueToken();
  if (!issued) throw new Error('setup already complete');
  const res = await h.app.inject({
    method: 'POST',
    url: '/api/setup',
    payload: {
      token: issued.token,
      username,
      password,
      acknowledgements: { unattendedPrinting: true, networkExposure: true },
    },
  });
  if (res.statusCode !== 201) throw new Error(`setup failed: ${res.statusCode} ${res.body}`);
  return res.json<{ user: { id: string } }>().user;
}

export function sessionCookieOf(res: LightMyRequestResponse): string {
  const cookie = res.cookies.find((c) => c.name.endsWith('farm_session'));
  if (!cookie) throw new Error(`no session cookie: ${res.statusCode} ${res.body}`);
  return `${cookie.name}=${cookie.value}`;
}

export async function login(
  h: Harness,
  username: string,
  password: string,
  extra: Record<string, string> = {},
): Promise<Session> {
  const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password, ...extra } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const body = res.json<{ csrfToken: string; user: { id: string } }>();
  return { cookie: sessionCookieOf(res), csrfToken: body.csrfToken, userId: body.user.id };
}

export async function createUser(
  h: Harness,
  admin: Session,
  username: string,
  role: 'viewer' | 'operator' | 'admin',
  groupIds?: string[],
) {
  const res = await call(h, admin, {
    method: 'POST',
    url: '/api/users',
    payload: { username, password: USER_PASSWORD, role, ...(groupIds ? { groupIds } : {}) },
  });
  if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
  return res.json<{ id: string; groupIds: string[] }>();
}

export async function createKey(
  h: Harness,
  owner: Session,
  body: Record<string, unknown>,
): Promise<{ key: string; id: string }> {
  const res = await call(h, owner, { method: 'POST', url: '/api/apikeys', payload: body });
  if (res.statusCode !== 201) throw new Error(`create key failed: ${res.statusCode} ${res.body}`);
  const json = res.json<{ key: string; apiKey: { id: string } }>();
  return { key: json.key, id: json.apiKey.id };
}
