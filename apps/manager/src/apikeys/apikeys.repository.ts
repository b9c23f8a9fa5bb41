// The only code that touches the api_keys table.
import { sql, type Kysely } from 'kysely';
import type { Database } from '@farm/db';
import type { ApiKeyPreset } from '@farm/contracts';

export interface ApiKeyRecord {
  id: string;
  userId: string;
  name: string;
  prefix: string;
  preset: ApiKeyPreset;
  scopes: string[];
  groupIds: string[] | null;
  allowedCidrs: string[] | null;
  expiresAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdAt: Date;
}

const COLUMNS = [
  'id',
  'user_id as userId',
  'name',
  'prefix',
  'preset',
  'scopes',
  'group_ids as groupIds',
  'allowed_cidrs as allowedCidrs',
  'expires_at as expiresAt',
  'last_used_at as lastUsedAt',
  'revoked_at as revokedAt',
  'created_at as createdAt',
] as const;

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;

export function createApiKeysRepository(db: Kysely<Database>) {
  return {
    async insert(row: {
      userId: string;
      name: string;
      prefix: string;
      keyHash: string;
      preset: ApiKeyPreset;
      scopes: string[];
      groupIds: string[] | null;
      allowedCidrs: string[] | null;
      expiresAt: Date;
    }): Promise<ApiKeyRecord> {
      return db
        .insertInto('api_keys')
        .values({
          user_id: row.userId,
          name: row.name,
          prefix: row.prefix,
          key_hash: row.keyHash,
          preset: row.preset,
          scopes: row.scopes,
          group_ids: row.groupIds,
          allowed_cidrs: row.allowedCidrs,
          expires_at: row.expiresAt,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
    },

    async findByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
      return db.selectFrom('api_keys').select(COLUMNS).where('key_hash', '=', keyHash).executeTakeFirst();
    },

    async findById(id: string): Promise<ApiKeyRecord | undefined> {
      return db.selectFrom('api_keys').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    },

    async listForUser(userId: string): Promise<ApiKeyRecord[]> {
      return db
        .selectFrom('api_keys')
        .select(COLUMNS)
        .where('user_id', '=', userId)
        .orderBy('created_at', 'desc')
        .execute();
    },

    async listAll(): Promise<Array<ApiKeyRecord & { username: string }>> {
      return db
        .selectFrom('api_keys')
        .innerJoin('users', 'users.id', 'api_keys.user_id')
        .select([
          'api_keys.id',
          'api_keys.user_id as userId',
          'api_keys.name',
          'api_keys.prefix',
          'api_keys.preset',
          'api_keys.scopes',
          'api_keys.group_ids as groupIds',
          'api_keys.allowed_cidrs as allowedCidrs',
          'api_keys.expires_at as expiresAt',
          'api_keys.last_used_at as lastUsedAt',
          'api_keys.revoked_at as revokedAt',
          'api_keys.created_at as createdAt',
          'users.username',
        ])
        .orderBy('api_keys.created_at', 'desc')
        .execute();
    },

    async markUsed(id: string, now: Date): Promise<void> {
      await db.updateTable('api_keys').set({ last_used_at: now }).where('id', '=', id).execute();
    },

    /** Idempotent; returns false when the key does not exist. */
    async revoke(id: string, now: Date): Promise<boolean> {
      const row = await db
        .updateTable('api_keys')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${now})` })
        .where('id', '=', id)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
