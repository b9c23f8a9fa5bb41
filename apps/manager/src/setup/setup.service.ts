// First start: with no users, a one-time 256-bit token (60 minutes) is the
// only way to create the first admin. After that, setup is gone for good.
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { newToken, sha256 } from '../auth/secret-tokens.js';
import { isUniqueViolation, type UsersRepository } from '../users/users.repository.js';
import type { SetupRepository } from './setup.repository.js';

export const SETUP_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

export interface SetupServiceDeps {
  setup: SetupRepository;
  users: Pick<UsersRepository, 'anyUserExists'>;
  hasher: Pick<PasswordHasher, 'hash'>;
  clock: Clock;
}

export interface SetupInput {
  token: string;
  username: string;
  password: string;
  instanceName?: string | undefined;
}

export type SetupService = ReturnType<typeof createSetupService>;

export function createSetupService({ setup, users, hasher, clock }: SetupServiceDeps) {
  // Once true it stays true: setup never reopens.
  let completed = false;

  async function isComplete(): Promise<boolean> {
    if (!completed) completed = (await setup.isCompleted()) || (await users.anyUserExists());
    return completed;
  }

  return {
    isComplete,

    /** A fresh token when no user exists yet (replacing any earlier one); null otherwise. */
    async issueToken(): Promise<{ token: string; expiresAt: Date } | null> {
      if (await isComplete()) return null;
      const token = newToken();
      const expiresAt = new Date(clock.now().getTime() + SETUP_TOKEN_LIFETIME_MS);
      await setup.saveToken(sha256(token), expiresAt);
      return { token, expiresAt };
    },

    /** Creates the first admin and records both safety acknowledgements, in one transaction. */
    async complete(input: SetupInput) {
      if (await isComplete()) throw new AppError('setup_complete');
      assertPasswordAcceptable(input.password, input.username);
      const passwordHash = await hasher.hash(input.password);
      const now = clock.now();
      try {
        const user = await setup.transaction(async (tx) => {
          if (!(await tx.setup.consumeToken(sha256(input.token), now))) return null;
          if (await tx.users.anyUserExists()) return null;
          const admin = await tx.users.insert({ username: input.username, passwordHash, role: 'admin' });
          await tx.setup.setCompletedBy(admin.id);
          await tx.setup.recordAcknowledgements(admin.id, ['unattended_printing', 'network_exposure'], now);
          if (input.instanceName) await tx.setup.setInstanceName(input.instanceName, admin.id);
          return admin;
        });
        if (user) {
          completed = true;
          return user;
        }
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
      }
      // Lost a race, reused the token, or the token is wrong or old.
      completed = false;
      if (await isComplete()) throw new AppError('setup_complete');
      throw new AppError('invalid_token');
    },
  };
}
