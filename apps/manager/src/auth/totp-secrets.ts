// TOTP secrets are kept sealed (AES-256-GCM, see crypto/secret-box.ts) and
// bound to their user, so a database dump or a row copied onto another
// account yields no usable second factor.
import { SecretBoxError, type SecretBox } from '../crypto/secret-box.js';

/** Rows written before encryption hold the bare base32 seed. */
const LEGACY_PLAIN = /^[A-Z2-7]+=*$/;

export type TotpSecrets = ReturnType<typeof createTotpSecrets>;

export interface TotpSecretRows {
  listTotpSecrets(): Promise<Array<{ id: string; totpSecret: string }>>;
  /** Compare-and-set: false when the row changed meanwhile. */
  replaceTotpSecret(userId: string, expected: string, next: string): Promise<boolean>;
}

export function createTotpSecrets(box: SecretBox) {
  const context = (userId: string) => `totp-secret:${userId}`;
  /** The base32 seed; throws SecretBoxError when the stored value does not open. */
  const open = (userId: string, stored: string): string =>
    LEGACY_PLAIN.test(stored) ? stored : box.open(stored, context(userId));
  return {
    seal: (userId: string, secret: string): string => box.seal(secret, context(userId)),
    open,

    /**
     * Seals legacy plain-text rows and rows under an older key with the current key.
     * Rows that do not open (a lost key) are counted, not fatal: `farm user reset-totp` fixes them.
     */
    async resealAll(rows: TotpSecretRows): Promise<{ resealed: number; unreadable: number }> {
      const result = { resealed: 0, unreadable: 0 };
      for (const row of await rows.listTotpSecrets()) {
        if (box.isCurrent(row.totpSecret)) continue;
        let seed: string;
        try {
          seed = open(row.id, row.totpSecret);
        } catch (error) {
          if (!(error instanceof SecretBoxError)) throw error;
          result.unreadable++;
          continue;
        }
        if (await rows.replaceTotpSecret(row.id, row.totpSecret, box.seal(seed, context(row.id)))) result.resealed++;
      }
      return result;
    },
  };
}
