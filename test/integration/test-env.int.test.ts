import { afterAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { Redis } from 'ioredis';
import { createDb } from '@farm/db';
import { createTestEnv } from '../support/test-env.js';

describe('test environment', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('gives each file its own migrated database and Redis prefix', async () => {
    const a = await createTestEnv();
    const b = await createTestEnv();
    expect(a.databaseUrl).not.toBe(b.databaseUrl);
    expect(a.redisPrefix).not.toBe(b.redisPrefix);
    const db = createDb({ url: a.databaseUrl, maxConnections: 1 });
    cleanups.push(() => db.destroy());
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM kysely_migration`.execute(db);
    expect(rows[0]?.n).toBeGreaterThanOrEqual(0);
    const redis = new Redis(a.redisUrl);
    cleanups.push(() => redis.quit());
    await redis.set(`${a.redisPrefix}probe`, '1');
    expect(await redis.get(`${a.redisPrefix}probe`)).toBe('1');
  });
});
