// The only code that touches the sessions table.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
  stepUpAt: Date | null;
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;

export function createSessionsRepository(db: Kysely<Database>) {
  return {
    async insert(row: {
      idHash: string;
      userId: string;
      csrfToken: string;
      now: Date;
      ip: string | null;
      userAgent: string | null;
    }): Promise<void> {
      await db
        .insertInto('sessions')
        .values({
          id_hash: row.idHash,
          user_id: row.userId,
          csrf_token: row.csrfToken,
          created_at: row.now,
          last_seen_at: row.now,
          // Signing in is itself a fresh password entry.
          step_up_at: row.now,
          ip: row.ip,
          user_agent: row.userAgent,
        })
        .execute();
    },

    async find(idHash: string): Promise<SessionRecord | undefined> {
      return db
        .selectFrom('sessions')
        .select([
          'id_hash as idHash',
          'user_id as userId',
          'csrf_token as csrfToken',
          'created_at as createdAt',
          'last_seen_at as lastSeenAt',
          'step_up_at as stepUpAt',
        ])
        .where('id_hash', '=', idHash)
        .executeTakeFirst();
    },

    async touch(idHash: string, now: Date): Promise<void> {
      await db.updateTable('sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
    },

    async markSteppedUp(idHash: string, now: Date): Promise<void> {
      await db.updateTable('sessions').set({ step_up_at: now }).where('id_hash', '=', idHash).execute();
    },

    async delete(idHash: string): Promise<void> {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    async deleteForUser(userId: string, exceptIdHash?: string): Promise<void> {
      let q = db.deleteFrom('sessions').where('user_id', '=', userId);
      if (exceptIdHash) q = q.where('id_hash', '!=', exceptIdHash);
      await q.execute();
    },
  };
}
