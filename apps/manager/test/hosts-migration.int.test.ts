// 0003_hosts migrates down and up again cleanly on a migrated database, and
// its foreign key keeps a printer from naming a host that does not exist.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDb, createMigrator } from '@farm/db';
import { createTestEnv } from '../../../test/support/test-env.js';

describe('0003_hosts migration', () => {
  let db: ReturnType<typeof createDb>;
  beforeAll(async () => {
    db = createDb({ url: (await createTestEnv()).databaseUrl, maxConnections: 2 });
  });
  afterAll(() => db.destroy());

  const hasHosts = async () =>
    (await sql<{ t: string | null }>`SELECT to_regclass('public.hosts')::text AS t`.execute(db)).rows[0]?.t === 'hosts';
  const hasHostForeignKey = async () =>
    (
      await sql<{
        n: number;
      }>`SELECT count(*)::int AS n FROM pg_constraint WHERE conname = 'printers_host_id_fkey'`.execute(db)
    ).rows[0]?.n === 1;

  it('drops the hosts table and the printers foreign key going down to 0002, and restores both on up', async () => {
    expect(await hasHosts()).toBe(true);
    expect(await hasHostForeignKey()).toBe(true);
    const migrator = createMigrator(db);
    const down = await migrator.migrateTo('0002_printers');
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toContain('0003_hosts');
    expect(await hasHosts()).toBe(false);
    expect(await hasHostForeignKey()).toBe(false);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(await hasHosts()).toBe(true);
    expect(await hasHostForeignKey()).toBe(true);
  });

  it('refuses a printer whose host does not exist', async () => {
    const group = await db.selectFrom('printer_groups').select('id').executeTakeFirstOrThrow();
    await expect(
      db
        .insertInto('printers')
        .values({
          group_id: group.id,
          name: 'orphan',
          host_id: '00000000-0000-4000-8000-000000000000',
          profile: JSON.stringify({}),
        })
        .execute(),
    ).rejects.toThrow(/printers_host_id_fkey/);
  });
});
