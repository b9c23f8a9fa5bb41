// The host token of this machine's own host agent under `npm start`: the
// manager registers the host `local` with it (LOCAL_HOST_TOKEN) and the agent
// signs in with it (HOST_TOKEN). Generated once into DATA_DIR, 0600, reused.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { readOrCreateSecretOfShape } from './secret-file.js';

const SHAPE = new RegExp(HOST_TOKEN_PATTERN);

/** The file, next to the manager's generated `secrets.json`. */
export function localHostTokenFile(dataDir: string): string {
  return path.join(dataDir, 'local-host-token');
}

/** `fh_<8 hex>_<43 base64url>`: a clear prefix the manager finds the row by, and 256 random bits. */
export function newHostToken(random: (bytes: number) => Buffer = randomBytes): string {
  return `fh_${random(4).toString('hex')}_${random(32).toString('base64url')}`;
}

export function isHostToken(text: string): boolean {
  return SHAPE.test(text);
}

export function readOrCreateLocalHostToken(dataDir: string): Promise<string> {
  return readOrCreateSecretOfShape(localHostTokenFile(dataDir), {
    generate: () => newHostToken(),
    isValid: isHostToken,
  });
}
