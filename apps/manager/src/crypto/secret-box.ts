// Encrypts small secrets kept in the database (TOTP seeds) with AES-256-GCM.
// Stored form: `<version>:<base64url(iv | tag | ciphertext)>`. The version
// names the key, so a new key can be added while rows sealed under an older
// one still open; `isCurrent` tells which rows to seal again.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const VERSION = /^v[0-9]{1,4}$/;

export class SecretBoxError extends Error {
  readonly code = 'secret_box_unreadable';
}

export interface SecretBoxKeys {
  /** Version used for new values, e.g. 'v1'. */
  current: string;
  /** Server secret per version; keys are derived from these with HKDF. */
  secrets: Readonly<Record<string, string>>;
}

export type SecretBox = ReturnType<typeof createSecretBox>;

/** `context` binds a value to its place (e.g. the user id): a value copied to another row does not open. */
export function createSecretBox(keys: SecretBoxKeys) {
  const derived = new Map<string, Buffer>();
  for (const [version, secret] of Object.entries(keys.secrets)) {
    if (!VERSION.test(version)) throw new Error(`bad key version ${version}`);
    // Domain-separated so the same server secret never doubles as another key.
    derived.set(version, Buffer.from(hkdfSync('sha256', secret, 'farm-manager', `data-encryption/${version}`, 32)));
  }
  const currentKey = derived.get(keys.current);
  if (!currentKey) throw new Error(`no secret for the current key version ${keys.current}`);

  return {
    seal(plaintext: string, context: string): string {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', currentKey, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${keys.current}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },

    /** Throws SecretBoxError for an unknown version, a wrong context or a tampered value. */
    open(sealed: string, context: string): string {
      const colon = sealed.indexOf(':');
      const key = colon > 0 ? derived.get(sealed.slice(0, colon)) : undefined;
      if (!key) throw new SecretBoxError('sealed value has no known key version');
      const raw = Buffer.from(sealed.slice(colon + 1), 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError('sealed value is truncated');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretBoxError('sealed value does not authenticate');
      }
    },

    /** True when the value is sealed under the current key (false for plain text or older keys). */
    isCurrent(value: string): boolean {
      return value.startsWith(`${keys.current}:`);
    },
  };
}
