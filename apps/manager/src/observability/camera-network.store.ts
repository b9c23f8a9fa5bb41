// The camera subnets allowlist in the settings table, under the key the agent
// API reads (`camera.allowedSubnets`, a JSON array of CIDR strings).
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';

export const CAMERA_SUBNETS_SETTING = 'camera.allowedSubnets';

export type CameraNetwork = { readonly allowedSubnets: string[]; readonly updatedAt: Date | null };

export type CameraNetworkStore = ReturnType<typeof createCameraNetworkStore>;

export function createCameraNetworkStore(db: Kysely<Database>) {
  return {
    async read(): Promise<CameraNetwork> {
      const row = await db
        .selectFrom('settings')
        .select(['value', 'updated_at'])
        .where('key', '=', CAMERA_SUBNETS_SETTING)
        .executeTakeFirst();
      if (!row) return { allowedSubnets: [], updatedAt: null };
      // Only this module writes the key; anything else there is treated as nothing allowed.
      const value = row.value;
      const valid = Array.isArray(value) && value.every((v): v is string => typeof v === 'string');
      return { allowedSubnets: valid ? value : [], updatedAt: row.updated_at };
    },

    async write(subnets: readonly string[], by: string | null, now: Date): Promise<CameraNetwork> {
      const value = JSON.stringify(subnets);
      await db
        .insertInto('settings')
        .values({ key: CAMERA_SUBNETS_SETTING, value, updated_at: now, updated_by: by })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now, updated_by: by }))
        .execute();
      return { allowedSubnets: [...subnets], updatedAt: now };
    },
  };
}
