// 0002_printers migrates down and up again cleanly on a migrated database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createMigrator } from '@farm/db';
import { createTestEnv } from '../../../test/support/test-env.js';

describe('0002_printers migration', () => {
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    db = createDb({ url: (await createTestEnv()).databaseUrl, maxConnections: 2 });
  });
  afterAll(() => db.destroy());

  const hasPrinters = async () =>
    (await sql<{ t: string | null }>`SELECT to_regclass('public.printers')::text AS t`.execute(db)).rows[0]?.t ===
    'printers';

  it('drops the printers table going down to 0001 and recreates it on up', async () => {
    expect(await hasPrinters()).toBe(true);
    const migrator = createMigrator(db);
    // Down to the foundation, so later migrations that build on printers go first.
    const down = await migrator.migrateTo('0001_foundation');
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toContain('0002_printers');
    expect(await hasPrinters()).toBe(false);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await hasPrinters()).toBe(true);
  });
});
