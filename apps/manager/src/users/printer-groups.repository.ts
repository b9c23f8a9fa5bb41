// The only code that reads and writes printer_groups.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';

export type PrinterGroupsRepository = ReturnType<typeof createPrinterGroupsRepository>;

export function createPrinterGroupsRepository(db: Kysely<Database>) {
  return {
    list: () => db.selectFrom('printer_groups').select(['id', 'name']).orderBy('name').execute(),
    create: (name: string) => db.insertInto('printer_groups').values({ name }).returning(['id', 'name']).executeTakeFirstOrThrow(),
    rename: (id: string, name: string) =>
      db.updateTable('printer_groups').set({ name }).where('id', '=', id).returning(['id', 'name']).executeTakeFirst(),
    /** Deletes an empty group; false when it does not exist. Printers in it make the foreign key refuse. */
    async remove(id: string): Promise<boolean> {
      const result = await db.deleteFrom('printer_groups').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}
