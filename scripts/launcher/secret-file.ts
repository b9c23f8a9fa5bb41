// A random secret kept in a 0600 file: created at first start, read afterwards.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** 32 random bytes as hex: URL-safe, so it can sit in a connection URL as is. */
export function newSecret(): string {
  return randomBytes(32).toString('hex');
}

export interface SecretShape {
  /** Makes a fresh secret for the first start. */
  generate: () => string;
  /** Whether the text read back from the file is usable. */
  isValid: (secret: string) => boolean;
}

const hexSecret: SecretShape = { generate: newSecret, isValid: (secret) => secret.length >= 32 };

export function readOrCreateSecret(file: string): Promise<string> {
  return readOrCreateSecretOfShape(file, hexSecret);
}

export async function readOrCreateSecretOfShape(file: string, shape: SecretShape): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  try {
    // 'wx' fails when the file exists, so two starts never overwrite each other's secret.
    const handle = await fs.open(file, 'wx', 0o600);
    const secret = shape.generate();
    try {
      await handle.chmod(0o600); // the mode given to open() is filtered by the umask
      await handle.writeFile(`${secret}\n`);
    } finally {
      await handle.close();
    }
    return secret;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const secret = (await fs.readFile(file, 'utf8')).trim();
  if (!shape.isValid(secret)) throw new Error(`${file} holds no usable secret; delete it to generate a new one`);
  return secret;
}
