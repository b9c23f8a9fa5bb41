// The only code that reads printer_groups for listing.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';

export type PrinterGroupsRepository = ReturnType<typeof createPrinterGroupsRepository>;

export function createPrinterGroupsRepository(db: Kysely<Database>) {
  return {
    list: () => db.selectFrom('printer_groups').select(['id', 'name']).orderBy('name').execute(),
  };
}
