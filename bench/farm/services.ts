// A fresh database and Redis key prefix for one bench run, and their removal.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';

export interface BenchServices {
  /** Database the manager migrates and uses (created empty here). */
  readonly databaseUrl: string;
  readonly redisUrl: string;
  /** Every key of the run starts with this; ends with ':'. */
  readonly redisPrefix: string;
  /** Drops the database and deletes every key under the prefix. Safe to call twice. */
  remove(): Promise<void>;
}

export async function createBenchServices(adminUrl: string, redisUrl: string): Promise<BenchServices> {
  const id = `farm_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${id}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${id}`;
  const redisPrefix = `${id}:`;
  let removed = false;
  return {
    databaseUrl: url.toString(),
    redisUrl,
    redisPrefix,
    async remove() {
      if (removed) return;
      removed = true;
      const dropper = new pg.Client({ connectionString: adminUrl });
      await dropper.connect();
      try {
        // FORCE: a manager that died mid-run may still hold connections.
        await dropper.query(`DROP DATABASE IF EXISTS ${id} WITH (FORCE)`);
      } finally {
        await dropper.end();
      }
      await deleteKeys(redisUrl, redisPrefix);
    },
  };
}

async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
