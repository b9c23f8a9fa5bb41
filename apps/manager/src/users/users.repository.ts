// The only code that touches the users, user_groups and printer_groups tables.
import { sql, type Kysely } from 'kysely';
import type { Database, UserRole } from '@farm/db';

export interface UserRecord {
  id: string;
  username: string;
  role: UserRole;
  disabled: boolean;
  totpEnabled: boolean;
  createdAt: Date;
}

export interface UserAuthRecord extends UserRecord {
  passwordHash: string;
  totpSecret: string | null;
}

const PUBLIC_COLUMNS = [
  'id',
  'username',
  'role',
  'disabled',
  'totp_enabled as totpEnabled',
  'created_at as createdAt',
] as const;

export type UsersQueries = ReturnType<typeof usersQueries>;
export type UsersRepository = UsersQueries & {
  /** Runs fn with queries bound to one transaction. */
  transaction<T>(fn: (tx: UsersQueries) => Promise<T>): Promise<T>;
};

export function createUsersRepository(db: Kysely<Database>): UsersRepository {
  return {
    ...usersQueries(db),
    transaction: (fn) => db.transaction().execute((trx) => fn(usersQueries(trx))),
  };
}

export function usersQueries(db: Kysely<Database>) {
  return {
    async anyUserExists(): Promise<boolean> {
      const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },

    async findAuthByUsername(username: string): Promise<UserAuthRecord | undefined> {
      return db
        .selectFrom('users')
        .select([...PUBLIC_COLUMNS, 'password_hash as passwordHash', 'totp_secret as totpSecret'])
        .where(sql<string>`lower(username)`, '=', username.toLowerCase())
        .executeTakeFirst();
    },

    async findAuthById(id: string): Promise<UserAuthRecord | undefined> {
      return db
        .selectFrom('users')
        .select([...PUBLIC_COLUMNS, 'password_hash as passwordHash', 'totp_secret as totpSecret'])
        .where('id', '=', id)
        .executeTakeFirst();
    },

    async findById(id: string): Promise<UserRecord | undefined> {
      return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
    },

    async list(): Promise<Array<UserRecord & { groupIds: string[] }>> {
      const rows = await db
        .selectFrom('users')
        .leftJoin('user_groups', 'user_groups.user_id', 'users.id')
        .select([
          'users.id',
          'users.username',
          'users.role',
          'users.disabled',
          'users.totp_enabled as totpEnabled',
          'users.created_at as createdAt',
          sql<
            string[]
          >`coalesce(array_agg(user_groups.group_id) FILTER (WHERE user_groups.group_id IS NOT NULL), '{}')`.as(
            'groupIds',
          ),
        ])
        .groupBy('users.id')
        .orderBy('users.username')
        .execute();
      return rows;
    },

    /** Throws the database's unique violation (23505) when the name is taken. */
    async insert(input: { username: string; passwordHash: string; role: UserRole }): Promise<UserRecord> {
      return db
        .insertInto('users')
        .values({ username: input.username, password_hash: input.passwordHash, role: input.role })
        .returning(PUBLIC_COLUMNS)
        .executeTakeFirstOrThrow();
    },

    async groupIdsOf(userId: string): Promise<string[]> {
      const rows = await db.selectFrom('user_groups').select('group_id').where('user_id', '=', userId).execute();
      return rows.map((r) => r.group_id);
    },

    async setGroups(userId: string, groupIds: readonly string[]): Promise<void> {
      await db.deleteFrom('user_groups').where('user_id', '=', userId).execute();
      if (groupIds.length > 0) {
        await db
          .insertInto('user_groups')
          .values(groupIds.map((group_id) => ({ user_id: userId, group_id })))
          .execute();
      }
    },

    async existingGroupIds(groupIds: readonly string[]): Promise<string[]> {
      if (groupIds.length === 0) return [];
      const rows = await db.selectFrom('printer_groups').select('id').where('id', 'in', groupIds).execute();
      return rows.map((r) => r.id);
    },

    async defaultGroupId(): Promise<string | undefined> {
      const row = await db.selectFrom('printer_groups').select('id').orderBy('created_at').limit(1).executeTakeFirst();
      return row?.id;
    },

    async update(userId: string, change: { role?: UserRole; disabled?: boolean }): Promise<void> {
      await db
        .updateTable('users')
        .set({ ...change, updated_at: sql`now()` })
        .where('id', '=', userId)
        .execute();
    },

    async delete(userId: string): Promise<void> {
      await db.deleteFrom('users').where('id', '=', userId).execute();
    },

    async setPasswordHash(userId: string, passwordHash: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ password_hash: passwordHash, password_changed_at: sql`now()`, updated_at: sql`now()` })
        .where('id', '=', userId)
        .execute();
    },

    /** `sealedSecret` comes from TotpSecrets.seal; plain seeds never reach the table. */
    async setPendingTotpSecret(userId: string, sealedSecret: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: sealedSecret, totp_enabled: false, updated_at: sql`now()` })
        .where('id', '=', userId)
        .execute();
    },

    async listTotpSecrets(): Promise<Array<{ id: string; totpSecret: string }>> {
      return db
        .selectFrom('users')
        .select(['id', 'totp_secret as totpSecret'])
        .where('totp_secret', 'is not', null)
        .$narrowType<{ totpSecret: string }>()
        .execute();
    },

    async replaceTotpSecret(userId: string, expected: string, next: string): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ totp_secret: next })
        .where('id', '=', userId)
        .where('totp_secret', '=', expected)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    },

    async enableTotp(userId: string, recoveryCodeHashes: string[]): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_enabled: true, recovery_code_hashes: recoveryCodeHashes, updated_at: sql`now()` })
        .where('id', '=', userId)
        .execute();
    },

    async clearTotp(userId: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ totp_secret: null, totp_enabled: false, recovery_code_hashes: [], updated_at: sql`now()` })
        .where('id', '=', userId)
        .execute();
    },

    /** Removes one recovery code atomically; false when it was not there. */
    async consumeRecoveryCode(userId: string, codeHash: string): Promise<boolean> {
      const row = await db
        .updateTable('users')
        .set({ recovery_code_hashes: sql`array_remove(recovery_code_hashes, ${codeHash})` })
        .where('id', '=', userId)
        .where(sql<boolean>`${codeHash} = ANY (recovery_code_hashes)`)
        .returning('id')
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Serialises every change that could remove an active admin, then returns
     * the active admins' ids. Call inside `transaction`.
     */
    async lockActiveAdmins(): Promise<string[]> {
      await sql`SELECT pg_advisory_xact_lock(hashtext('farm.active_admins'))`.execute(db);
      const rows = await db
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled', '=', false)
        .execute();
      return rows.map((r) => r.id);
    },
  };
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
