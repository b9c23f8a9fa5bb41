// argon2id (OWASP parameters: 19 MiB, 2 passes). No length cap: the whole
// password is hashed, never truncated.
import { hash, verify } from '@node-rs/argon2';

// The library's default algorithm is argon2id (its const enum cannot be
// imported under verbatimModuleSyntax; a test checks the $argon2id$ prefix).
export interface HashCost {
  /** KiB */
  memoryCost: number;
  timeCost: number;
}

export const DEFAULT_HASH_COST: HashCost = { memoryCost: 19456, timeCost: 2 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
  /** Spends the same time as a real verify; used for unknown usernames. */
  verifyDummy(password: string): Promise<void>;
}

/** `cost` is lowered only by tests, to keep them fast; the algorithm stays argon2id. */
export function createPasswordHasher(cost: HashCost = DEFAULT_HASH_COST): PasswordHasher {
  const OPTIONS = { ...cost, parallelism: 1 };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, OPTIONS),
    verify: async (hashed, password) => {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
    verifyDummy: async (password) => {
      dummy ??= hash('dummy password for timing equalisation', OPTIONS);
      await verify(await dummy, password).catch(() => false);
    },
  };
}
