// Per-test-file isolation: each file gets its own database (a copy of the run's
// migrated template, so migrations run once per run) and its own Redis prefix.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestEnv {
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for every Redis key this file touches; ends with ':'. */
  redisPrefix: string;
}

function urlFor(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function createTestEnv(): Promise<TestEnv> {
  const runId = inject('testRunId');
  const adminUrl = inject('pgAdminUrl');
  const suffix = randomBytes(4).toString('hex');
  const name = `${runId}_${suffix}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    // CREATE DATABASE ... TEMPLATE fails if another session is connected to the
    // template; the template is only touched in global setup, so this is safe.
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('templateDatabase')}`);
  } finally {
    await admin.end();
  }
  return { databaseUrl: urlFor(adminUrl, name), redisUrl: inject('redisUrl'), redisPrefix: `${runId}:${suffix}:` };
}
