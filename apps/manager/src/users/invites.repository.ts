// The only code that touches the invites table.
import type { Kysely } from 'kysely';
import type { Database, UserRole } from '@farm/db';

export type InvitesRepository = ReturnType<typeof createInvitesRepository>;

export function createInvitesRepository(db: Kysely<Database>) {
  return {
    async insert(row: {
      tokenHash: string;
      role: UserRole;
      groupIds: string[];
      createdBy: string | null;
      expiresAt: Date;
    }) {
      return db
        .insertInto('invites')
        .values({
          token_hash: row.tokenHash,
          role: row.role,
          group_ids: row.groupIds,
          created_by: row.createdBy,
          expires_at: row.expiresAt,
        })
        .returning(['id', 'role', 'expires_at as expiresAt'])
        .executeTakeFirstOrThrow();
    },

    /** Claims an unused, unexpired invite in one statement (single use under concurrency). */
    async claim(tokenHash: string, now: Date) {
      return db
        .updateTable('invites')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning(['id', 'role', 'group_ids as groupIds'])
        .executeTakeFirst();
    },

    async release(id: string): Promise<void> {
      await db
        .updateTable('invites')
        .set({ used_at: null })
        .where('id', '=', id)
        .where('used_by', 'is', null)
        .execute();
    },

    async markUsedBy(id: string, userId: string): Promise<void> {
      await db.updateTable('invites').set({ used_by: userId }).where('id', '=', id).execute();
    },
  };
}
