// The only code that touches the printers table.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';
import type { PrinterProfile } from '@farm/contracts';

export interface PrinterIdentity {
  hostId: string | null;
  usbSerial: string | null;
  vendorId: string | null;
  productId: string | null;
  portPath: string | null;
  devicePath: string | null;
}

export interface PrinterRecord {
  id: string;
  groupId: string;
  name: string;
  enabled: boolean;
  identity: PrinterIdentity;
  profile: PrinterProfile;
  retiredAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PrinterWrite {
  groupId?: string;
  name?: string;
  enabled?: boolean;
  identity?: Partial<PrinterIdentity>;
  profile?: PrinterProfile;
}

const COLUMNS = [
  'id',
  'group_id',
  'name',
  'enabled',
  'host_id',
  'usb_serial',
  'usb_vendor_id',
  'usb_product_id',
  'port_path',
  'device_path',
  'profile',
  'retired_at',
  'created_at',
  'updated_at',
] as const;

type Row = {
  id: string;
  group_id: string;
  name: string;
  enabled: boolean;
  host_id: string | null;
  usb_serial: string | null;
  usb_vendor_id: string | null;
  usb_product_id: string | null;
  port_path: string | null;
  device_path: string | null;
  profile: unknown;
  retired_at: Date | null;
  created_at: Date;
  updated_at: Date;
};

function toRecord(row: Row): PrinterRecord {
  return {
    id: row.id,
    groupId: row.group_id,
    name: row.name,
    enabled: row.enabled,
    identity: {
      hostId: row.host_id,
      usbSerial: row.usb_serial,
      vendorId: row.usb_vendor_id,
      productId: row.usb_product_id,
      portPath: row.port_path,
      devicePath: row.device_path,
    },
    // Written only through the validated API; stored as the schema's shape.
    profile: row.profile as PrinterProfile,
    retiredAt: row.retired_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function columnsOf(write: PrinterWrite) {
  const id = write.identity;
  return {
    ...(write.groupId !== undefined ? { group_id: write.groupId } : {}),
    ...(write.name !== undefined ? { name: write.name } : {}),
    ...(write.enabled !== undefined ? { enabled: write.enabled } : {}),
    ...(id?.hostId !== undefined ? { host_id: id.hostId } : {}),
    ...(id?.usbSerial !== undefined ? { usb_serial: id.usbSerial } : {}),
    ...(id?.vendorId !== undefined ? { usb_vendor_id: id.vendorId } : {}),
    ...(id?.productId !== undefined ? { usb_product_id: id.productId } : {}),
    ...(id?.portPath !== undefined ? { port_path: id.portPath } : {}),
    ...(id?.devicePath !== undefined ? { device_path: id.devicePath } : {}),
    ...(write.profile !== undefined ? { profile: JSON.stringify(write.profile) } : {}),
  };
}

export type PrintersRepository = ReturnType<typeof createPrintersRepository>;

export function createPrintersRepository(db: Kysely<Database>) {
  return {
    async insert(write: PrinterWrite & { groupId: string; name: string; profile: PrinterProfile }) {
      const row = await db
        .insertInto('printers')
        .values({
          ...columnsOf(write),
          group_id: write.groupId,
          name: write.name,
          profile: JSON.stringify(write.profile),
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async findById(id: string): Promise<PrinterRecord | undefined> {
      const row = await db.selectFrom('printers').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    /** `groupIds` null = every group. Retired printers are left out. */
    async list(groupIds: readonly string[] | null): Promise<PrinterRecord[]> {
      if (groupIds !== null && groupIds.length === 0) return [];
      let q = db.selectFrom('printers').select(COLUMNS).where('retired_at', 'is', null);
      if (groupIds !== null) q = q.where('group_id', 'in', groupIds);
      return (await q.orderBy('name').execute()).map(toRecord);
    },

    async update(id: string, write: PrinterWrite, now: Date): Promise<PrinterRecord | undefined> {
      const row = await db
        .updateTable('printers')
        .set({ ...columnsOf(write), updated_at: now })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async retire(id: string, now: Date): Promise<PrinterRecord | undefined> {
      const row = await db
        .updateTable('printers')
        .set({ retired_at: now, enabled: false, updated_at: now })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async groupExists(groupId: string): Promise<boolean> {
      const row = await db.selectFrom('printer_groups').select('id').where('id', '=', groupId).executeTakeFirst();
      return row !== undefined;
    },

    /** Not retired printers driven by this host (the host agent's view). */
    async listForHost(hostId: string): Promise<PrinterRecord[]> {
      const rows = await db
        .selectFrom('printers')
        .select(COLUMNS)
        .where('host_id', '=', hostId)
        .where('retired_at', 'is', null)
        .orderBy('name')
        .execute();
      return rows.map(toRecord);
    },

    /** A host agent saw its printer on a new device path; only that host's not retired rows move. */
    async moveDevicePath(hostId: string, printerId: string, devicePath: string, now: Date): Promise<boolean> {
      const result = await db
        .updateTable('printers')
        .set({ device_path: devicePath, updated_at: now })
        .where('id', '=', printerId)
        .where('host_id', '=', hostId)
        .where('retired_at', 'is', null)
        .where((eb) => eb.or([eb('device_path', 'is', null), eb('device_path', '!=', devicePath)]))
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async defaultGroupId(): Promise<string> {
      const row = await db
        .selectFrom('printer_groups')
        .select('id')
        .where('name', '=', 'Default')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  };
}
