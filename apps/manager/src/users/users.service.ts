// User administration: create, invite, change role and groups, disable,
// reset password, delete. The last active admin is protected atomically.
import type { Role } from '@farm/contracts';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import type { SessionsService } from '../auth/sessions.service.js';
import { isUniqueViolation, type UsersQueries, type UsersRepository } from './users.repository.js';

export interface UserChange {
  role?: Role | undefined;
  disabled?: boolean | undefined;
  groupIds?: readonly string[] | undefined;
}

export interface UsersServiceDeps {
  users: UsersRepository;
  sessions: Pick<SessionsService, 'revokeAllForUser'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  clock: Clock;
}

export type UsersService = ReturnType<typeof createUsersService>;

export function createUsersService({ users, sessions, hasher }: UsersServiceDeps) {
  async function checkedGroups(
    tx: Pick<UsersQueries, 'existingGroupIds'>,
    groupIds: readonly string[],
  ): Promise<string[]> {
    const unique = [...new Set(groupIds)];
    const found = await tx.existingGroupIds(unique);
    if (found.length !== unique.length) throw new AppError('validation_failed', { message: 'Unknown printer group.' });
    return unique;
  }

  return {
    list: () => users.list(),

    /**
     * Creates an account. Non-admins with no groups given join the default
     * group (a user with no membership rows sees no printers).
     */
    async create(input: { username: string; password: string; role: Role; groupIds?: readonly string[] | undefined }) {
      assertPasswordAcceptable(input.password, input.username);
      const passwordHash = await hasher.hash(input.password);
      try {
        return await users.transaction(async (tx) => {
          const user = await tx.insert({ username: input.username, passwordHash, role: input.role });
          let groupIds: string[] = [];
          if (input.groupIds !== undefined) groupIds = await checkedGroups(tx, input.groupIds);
          else if (input.role !== 'admin') {
            const fallback = await tx.defaultGroupId();
            groupIds = fallback ? [fallback] : [];
          }
          await tx.setGroups(user.id, groupIds);
          return { ...user, groupIds };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('username_taken');
        throw error;
      }
    },

    /** Role or disable changes end the user's sessions; the last active admin stays. */
    async update(userId: string, change: UserChange) {
      const result = await users.transaction(async (tx) => {
        const admins = await tx.lockActiveAdmins();
        const user = await tx.findById(userId);
        if (!user) throw new AppError('not_found');
        const staysActiveAdmin = (change.role ?? user.role) === 'admin' && !(change.disabled ?? user.disabled);
        if (admins.includes(userId) && !staysActiveAdmin && admins.length <= 1) throw new AppError('last_admin');
        const fields: { role?: Role; disabled?: boolean } = {};
        if (change.role !== undefined && change.role !== user.role) fields.role = change.role;
        if (change.disabled !== undefined && change.disabled !== user.disabled) fields.disabled = change.disabled;
        if (Object.keys(fields).length > 0) await tx.update(userId, fields);
        if (change.groupIds !== undefined) await tx.setGroups(userId, await checkedGroups(tx, change.groupIds));
        const privilegeChanged = fields.role !== undefined || fields.disabled === true || change.groupIds !== undefined;
        return { privilegeChanged };
      });
      // A new role or a disable takes effect at once: the old sessions end.
      if (result.privilegeChanged) await sessions.revokeAllForUser(userId);
      const updated = await users.findById(userId);
      if (!updated) throw new AppError('not_found');
      return { ...updated, groupIds: await users.groupIdsOf(userId) };
    },

    async remove(userId: string): Promise<void> {
      await users.transaction(async (tx) => {
        const admins = await tx.lockActiveAdmins();
        const user = await tx.findById(userId);
        if (!user) throw new AppError('not_found');
        if (admins.includes(userId) && admins.length <= 1) throw new AppError('last_admin');
        await tx.delete(userId);
      });
    },

    /** For a lost authenticator: TOTP off (an admin must enrol again at next sign-in), sessions end. */
    async resetTotp(userId: string): Promise<void> {
      const user = await users.findById(userId);
      if (!user) throw new AppError('not_found');
      await users.clearTotp(userId);
      await sessions.revokeAllForUser(userId);
    },

    async resetPassword(userId: string, password: string): Promise<void> {
      const user = await users.findById(userId);
      if (!user) throw new AppError('not_found');
      assertPasswordAcceptable(password, user.username);
      await users.setPasswordHash(userId, await hasher.hash(password));
      await sessions.revokeAllForUser(userId);
    },
  };
}
