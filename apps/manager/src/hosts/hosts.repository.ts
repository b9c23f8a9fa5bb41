// The only code that touches the hosts table.
import { sql, type Kysely } from 'kysely';
import type { Database } from '@farm/db';

export interface HostRecord {
  id: string;
  name: string;
  tokenPrefix: string;
  tokenHash: string;
  createdAt: Date;
  createdBy: string | null;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
}

const COLUMNS = [
  'id',
  'name',
  'token_prefix',
  'token_hash',
  'created_at',
  'created_by',
  'last_seen_at',
  'revoked_at',
] as const;

type Row = {
  id: string;
  name: string;
  token_prefix: string;
  token_hash: string;
  created_at: Date;
  created_by: string | null;
  last_seen_at: Date | null;
  revoked_at: Date | null;
};

function toRecord(row: Row): HostRecord {
  return {
    id: row.id,
    name: row.name,
    tokenPrefix: row.token_prefix,
    tokenHash: row.token_hash,
    createdAt: row.created_at,
    createdBy: row.created_by,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

export type HostsRepository = ReturnType<typeof createHostsRepository>;

export function createHostsRepository(db: Kysely<Database>) {
  return {
    async insert(host: { name: string; tokenPrefix: string; tokenHash: string; createdBy: string | null }) {
      const row = await db
        .insertInto('hosts')
        .values({
          name: host.name,
          token_prefix: host.tokenPrefix,
          token_hash: host.tokenHash,
          created_by: host.createdBy,
        })
        .returning(COLUMNS)
        .executeTakeFirstOrThrow();
      return toRecord(row);
    },

    async list(): Promise<HostRecord[]> {
      return (await db.selectFrom('hosts').select(COLUMNS).orderBy('name').execute()).map(toRecord);
    },

    async listActive(): Promise<HostRecord[]> {
      const rows = await db
        .selectFrom('hosts')
        .select(COLUMNS)
        .where('revoked_at', 'is', null)
        .orderBy('name')
        .execute();
      return rows.map(toRecord);
    },

    async findById(id: string): Promise<HostRecord | undefined> {
      const row = await db.selectFrom('hosts').select(COLUMNS).where('id', '=', id).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async findByPrefix(prefix: string): Promise<HostRecord | undefined> {
      const row = await db.selectFrom('hosts').select(COLUMNS).where('token_prefix', '=', prefix).executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    /** New token for a host that is not revoked; undefined when there is none. */
    async replaceToken(id: string, token: { prefix: string; hash: string }): Promise<HostRecord | undefined> {
      const row = await db
        .updateTable('hosts')
        .set({ token_prefix: token.prefix, token_hash: token.hash })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    /** Idempotent: a revoked host keeps its first revocation time. */
    async revoke(id: string, now: Date): Promise<HostRecord | undefined> {
      const row = await db
        .updateTable('hosts')
        .set({ revoked_at: sql<Date>`coalesce(revoked_at, ${now})` })
        .where('id', '=', id)
        .returning(COLUMNS)
        .executeTakeFirst();
      return row ? toRecord(row) : undefined;
    },

    async touchLastSeen(id: string, now: Date): Promise<void> {
      await db.updateTable('hosts').set({ last_seen_at: now }).where('id', '=', id).execute();
    },

    /**
     * The host named `name` ends up holding this token: inserted, or its token
     * replaced (a revocation by an admin stands).
     */
    async upsertByName(name: string, token: { prefix: string; hash: string }): Promise<HostRecord> {
      // Managers starting together race here: the arbiter is the name, but the
      // token's unique prefix may be the index that refuses first. The loser
      // retries and then finds the row to update.
      for (let attempt = 1; ; attempt++) {
        try {
          return await upsertOnce(name, token);
        } catch (error) {
          if ((error as { code?: unknown }).code !== '23505' || attempt >= 3) throw error;
        }
      }
    },
  };

  async function upsertOnce(name: string, token: { prefix: string; hash: string }): Promise<HostRecord> {
    const row = await sql<Row>`
        INSERT INTO hosts (name, token_prefix, token_hash)
        VALUES (${name}, ${token.prefix}, ${token.hash})
        ON CONFLICT ((lower(name))) DO UPDATE
          SET token_prefix = EXCLUDED.token_prefix, token_hash = EXCLUDED.token_hash
        RETURNING id, name, token_prefix, token_hash, created_at, created_by, last_seen_at, revoked_at`.execute(db);
    const first = row.rows[0];
    if (!first) throw new Error('host upsert returned no row');
    return toRecord(first);
  }
}
