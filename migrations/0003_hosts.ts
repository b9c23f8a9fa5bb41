// Hosts: the computers that run a host agent. Each authenticates with a host
// token; only its SHA-256 is stored (256 random bits, so a fast hash is enough)
// next to a clear 8-hex prefix that finds the row. Printers now point at their host.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('hosts')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_prefix', 'text', (c) => c.notNull().unique())
    .addColumn('token_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('created_by', 'uuid', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('revoked_at', 'timestamptz')
    .addCheckConstraint('hosts_name_shape', sql`length(name) BETWEEN 1 AND 64`)
    .addCheckConstraint('hosts_token_prefix_shape', sql`token_prefix ~ '^[0-9a-f]{8}$'`)
    .addCheckConstraint('hosts_token_hash_shape', sql`token_hash ~ '^[0-9a-f]{64}$'`)
    .execute();
  await sql`CREATE UNIQUE INDEX hosts_name_lower_key ON hosts (lower(name))`.execute(db);
  // Before this migration host_id could name nothing; such values point nowhere, so they are cleared.
  await sql`UPDATE printers SET host_id = NULL WHERE host_id IS NOT NULL`.execute(db);
  await db.schema
    .alterTable('printers')
    .addForeignKeyConstraint('printers_host_id_fkey', ['host_id'], 'hosts', ['id'], (c) => c.onDelete('restrict'))
    .execute();
  await db.schema.createIndex('printers_host_id_idx').on('printers').column('host_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('printers_host_id_idx').execute();
  await db.schema.alterTable('printers').dropConstraint('printers_host_id_fkey').execute();
  await db.schema.dropTable('hosts').execute();
}
