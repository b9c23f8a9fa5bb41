// The farm CLI's commands, on the same services the API uses, so the same
// rules (password policy, key scopes, last admin) apply.
import type { Kysely } from 'kysely';
import { API_KEY_PRESETS, ROLES, isPermission, type ApiKeyPreset, type Permission, type Role } from '@farm/contracts';
import type { Database } from '@farm/db';
import { systemClock } from '../clock.js';
import { createPasswordHasher, type HashCost } from '../auth/password-hasher.js';
import { createSessionsRepository } from '../auth/sessions.repository.js';
import { createApiKeysRepository } from '../apikeys/apikeys.repository.js';
import { createApiKeysService } from '../apikeys/apikeys.service.js';
import { createSetupRepository } from '../setup/setup.repository.js';
import { createUsersRepository } from '../users/users.repository.js';
import { createUsersService } from '../users/users.service.js';
import { AppError } from '../errors/app-error.js';

export class UsageError extends Error {}

export interface CliOptions {
  username?: string | undefined;
  role?: string | undefined;
  user?: string | undefined;
  name?: string | undefined;
  scope?: string | undefined;
  permission?: string[] | undefined;
  'expires-days'?: string | undefined;
}

export interface CliIo {
  out(line: string): void;
  readPassword(prompt: string): Promise<string>;
}

export interface FarmCommandsOptions {
  /** argon2id cost; only tests lower it. */
  hashCost?: HashCost | undefined;
}

export function createFarmCommands(
  db: Kysely<Database>,
  policy: { allowFirmwareFlash: boolean },
  options: FarmCommandsOptions = {},
) {
  const usersRepo = createUsersRepository(db);
  const sessionsRepo = createSessionsRepository(db);
  const hasher = createPasswordHasher(options.hashCost);
  const users = createUsersService({
    users: usersRepo,
    sessions: { revokeAllForUser: (userId: string) => sessionsRepo.deleteForUser(userId) },
    hasher,
    clock: systemClock,
  });
  const apiKeys = createApiKeysService({
    keys: createApiKeysRepository(db),
    users: usersRepo,
    clock: systemClock,
    policy,
  });
  const setup = createSetupRepository(db);

  const required = (value: string | undefined, flag: string): string => {
    if (!value) throw new UsageError(`missing --${flag}`);
    return value;
  };
  const findUser = async (username: string) => {
    const user = await usersRepo.findAuthByUsername(username);
    if (!user) throw new UsageError(`no user named ${username}`);
    return user;
  };

  return {
    async userCreate(opts: CliOptions, io: CliIo): Promise<void> {
      const username = required(opts.username, 'username');
      const role = required(opts.role, 'role');
      if (!(ROLES as readonly string[]).includes(role))
        throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
      const password = await io.readPassword(`Password for ${username}: `);
      const user = await users.create({ username, password, role: role as Role });
      // An admin made here completes first-start setup: the setup link stops working.
      if (role === 'admin') await setup.markCompletedBy(user.id, systemClock.now());
      io.out(`created ${user.role} ${user.username} (${user.id})`);
    },

    async userResetPassword(opts: CliOptions, io: CliIo): Promise<void> {
      const user = await findUser(required(opts.username, 'username'));
      const password = await io.readPassword(`New password for ${user.username}: `);
      await users.resetPassword(user.id, password);
      io.out(`password reset for ${user.username}; their sessions have ended`);
    },

    async userResetTotp(opts: CliOptions, io: CliIo): Promise<void> {
      const user = await findUser(required(opts.username, 'username'));
      await users.resetTotp(user.id);
      io.out(`two-factor authentication turned off for ${user.username}; they enrol again at next sign-in`);
    },

    async userList(io: CliIo): Promise<void> {
      for (const u of await users.list()) {
        io.out(
          [u.username, u.role, u.disabled ? 'disabled' : 'active', u.totpEnabled ? 'totp' : 'no-totp', u.id].join('\t'),
        );
      }
    },

    async apikeyCreate(opts: CliOptions, io: CliIo): Promise<void> {
      const owner = await findUser(required(opts.user, 'user'));
      const scope = required(opts.scope, 'scope');
      if (!(API_KEY_PRESETS as readonly string[]).includes(scope)) {
        throw new UsageError(
          `--scope must be one of ${API_KEY_PRESETS.join(', ')} (automation takes --permission, repeatable)`,
        );
      }
      const permissions = opts.permission?.map((p) => {
        if (!isPermission(p)) throw new UsageError(`unknown permission ${p}`);
        return p as Permission;
      });
      const days = opts['expires-days'] ? Number(opts['expires-days']) : undefined;
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 730))
        throw new UsageError('--expires-days must be 1-730');
      const { key, record } = await apiKeys.create(owner.id, {
        name: required(opts.name, 'name'),
        preset: scope as ApiKeyPreset,
        permissions,
        expiresInDays: days,
      });
      io.out(key);
      io.out(
        `# ${record.preset} key "${record.name}" for ${owner.username}, expires ${record.expiresAt.toISOString()}; shown only now`,
      );
    },
  };
}

export function describeError(error: unknown): string {
  if (error instanceof AppError) return error.message;
  if (error instanceof UsageError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
