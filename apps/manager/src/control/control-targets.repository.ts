// The few printer columns controls need: which group (scope), which host
// (signing key, emergency-stop fan-out) and the profile (caps). Kept narrow
// so the emergency stop does as little database work as possible.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';
import type { PrinterProfile } from '@farm/contracts';

export interface ControlTarget {
  id: string;
  groupId: string;
  /** Null until the printer is adopted on a host. */
  hostId: string | null;
  retired: boolean;
  profile: PrinterProfile;
}

export interface StopTarget {
  id: string;
  hostId: string;
}

export type ControlTargetsRepository = ReturnType<typeof createControlTargetsRepository>;

export function createControlTargetsRepository(db: Kysely<Database>) {
  return {
    async find(id: string): Promise<ControlTarget | undefined> {
      const row = await db
        .selectFrom('printers')
        .select(['id', 'group_id', 'host_id', 'retired_at', 'profile'])
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) return undefined;
      // Written only through the validated printers API.
      return {
        id: row.id,
        groupId: row.group_id,
        hostId: row.host_id,
        retired: row.retired_at !== null,
        profile: row.profile as PrinterProfile,
      };
    },

    /** For a stop without a printer: the id alone, no profile. */
    async findForStop(id: string): Promise<{ id: string; groupId: string; hostId: string | null } | undefined> {
      const row = await db
        .selectFrom('printers')
        .select(['id', 'group_id', 'host_id'])
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? { id: row.id, groupId: row.group_id, hostId: row.host_id } : undefined;
    },

    /** Printers on a host, not retired; `groupIds` null = every group. */
    async listOnHosts(groupIds: readonly string[] | null): Promise<StopTarget[]> {
      if (groupIds !== null && groupIds.length === 0) return [];
      let q = db
        .selectFrom('printers')
        .select(['id', 'host_id'])
        .where('retired_at', 'is', null)
        .where('host_id', 'is not', null);
      if (groupIds !== null) q = q.where('group_id', 'in', groupIds);
      const rows = await q.execute();
      return rows.flatMap((r) => (r.host_id === null ? [] : [{ id: r.id, hostId: r.host_id }]));
    },
  };
}
