// Printers: identity, group, and the profile as one jsonb document. The profile
// is validated as a whole by its TypeBox schema (@farm/contracts) at the API,
// so it can grow fields without a migration per field and is always replaced
// atomically; the check below keeps a non-object from ever being stored.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('printers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('group_id', 'uuid', (c) => c.notNull().references('printer_groups.id').onDelete('restrict'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('enabled', 'boolean', (c) => c.notNull().defaultTo(true))
    // Hosts arrive with the host agent; nullable until then.
    .addColumn('host_id', 'uuid')
    .addColumn('usb_serial', 'text')
    .addColumn('usb_vendor_id', 'text')
    .addColumn('usb_product_id', 'text')
    .addColumn('port_path', 'text')
    .addColumn('device_path', 'text')
    .addColumn('profile', 'jsonb', (c) => c.notNull())
    .addColumn('retired_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('printers_profile_object', sql`jsonb_typeof(profile) = 'object'`)
    .addCheckConstraint('printers_name_shape', sql`length(name) BETWEEN 1 AND 64`)
    .execute();
  // Names are unique regardless of case, like usernames.
  await sql`CREATE UNIQUE INDEX printers_name_lower_key ON printers (lower(name))`.execute(db);
  await db.schema.createIndex('printers_group_id_idx').on('printers').column('group_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('printers').execute();
}
