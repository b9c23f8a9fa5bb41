// Secrets not given in the environment are generated once into
// DATA_DIR/secrets.json (mode 0600) and reused on every later start.
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SECRET_NAMES = ['SESSION_SECRET', 'JOB_SIGNING_SECRET', 'DATA_ENCRYPTION_KEY'] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
export type StoredSecrets = Partial<Record<SecretName, string>>;

export function secretsFilePath(dataDir: string): string {
  return path.join(dataDir, 'secrets.json');
}

export function readStoredSecrets(dataDir: string): StoredSecrets {
  const file = secretsFilePath(dataDir);
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (typeof parsed !== 'object' || parsed === null) return {};
  const out: StoredSecrets = {};
  for (const name of SECRET_NAMES) {
    const value = (parsed as Record<string, unknown>)[name];
    if (typeof value === 'string') out[name] = value;
  }
  return out;
}

/** Fills the missing names with fresh 256-bit values and writes the file 0600. */
export function generateMissingSecrets(
  dataDir: string,
  stored: StoredSecrets,
  missing: readonly SecretName[],
): StoredSecrets {
  if (missing.length === 0) return stored;
  const next: StoredSecrets = { ...stored };
  for (const name of missing) next[name] = randomBytes(32).toString('base64url');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = secretsFilePath(dataDir);
  writeFileSync(file, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return next;
}
