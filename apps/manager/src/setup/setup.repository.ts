// The only code that touches setup_state, safety_acknowledgements and the
// instance-name setting.
import { sql, type Kysely } from 'kysely';
import type { Database, SafetyAcknowledgementKind } from '@farm/db';

import { usersQueries, type UsersQueries } from '../users/users.repository.js';

export type SetupQueries = ReturnType<typeof setupQueries>;
export interface SetupTransaction {
  setup: SetupQueries;
  users: UsersQueries;
}
export type SetupRepository = SetupQueries & { transaction<T>(fn: (tx: SetupTransaction) => Promise<T>): Promise<T> };

export function createSetupRepository(db: Kysely<Database>): SetupRepository {
  return {
    ...setupQueries(db),
    transaction: (fn) => db.transaction().execute((trx) => fn({ setup: setupQueries(trx), users: usersQueries(trx) })),
  };
}

function setupQueries(db: Kysely<Database>) {
  return {
    async saveToken(tokenHash: string, expiresAt: Date): Promise<void> {
      await db
        .insertInto('setup_state')
        .values({ id: 1, token_hash: tokenHash, expires_at: expiresAt, completed_at: null })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ token_hash: tokenHash, expires_at: expiresAt })
            .where('setup_state.completed_at', 'is', null),
        )
        .execute();
    },

    /**
     * Consumes the token in one conditional UPDATE: of two concurrent
     * callers, the second waits on the row lock and then matches nothing.
     */
    async consumeToken(tokenHash: string, now: Date): Promise<boolean> {
      const row = await db
        .updateTable('setup_state')
        .set({ completed_at: now })
        .where('id', '=', 1)
        .where('completed_at', 'is', null)
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    async isCompleted(): Promise<boolean> {
      const row = await db.selectFrom('setup_state').select('completed_at').where('id', '=', 1).executeTakeFirst();
      return row?.completed_at != null;
    },

    /** Marks setup done without a token (an admin made by the CLI). */
    async markCompletedBy(userId: string, now: Date): Promise<void> {
      await db
        .insertInto('setup_state')
        .values({ id: 1, token_hash: '-', expires_at: now, completed_at: now, completed_by: userId })
        .onConflict((oc) =>
          oc
            .column('id')
            .doUpdateSet({ completed_at: now, completed_by: userId })
            .where('setup_state.completed_at', 'is', null),
        )
        .execute();
    },

    async setCompletedBy(userId: string): Promise<void> {
      await db.updateTable('setup_state').set({ completed_by: userId }).where('id', '=', 1).execute();
    },

    async recordAcknowledgements(
      userId: string,
      kinds: readonly SafetyAcknowledgementKind[],
      now: Date,
    ): Promise<void> {
      await db
        .insertInto('safety_acknowledgements')
        .values(kinds.map((kind) => ({ user_id: userId, kind, acknowledged_at: now })))
        .execute();
    },

    async setInstanceName(name: string, userId: string): Promise<void> {
      const value = JSON.stringify(name);
      await db
        .insertInto('settings')
        .values({ key: 'instance.name', value, updated_by: userId })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_by: userId, updated_at: sql`now()` }))
        .execute();
    },
  };
}
