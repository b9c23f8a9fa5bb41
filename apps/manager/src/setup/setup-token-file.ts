// The setup token is also written to DATA_DIR/setup-token, readable only by
// the service user, for installs where stdout is not at hand.
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function setupTokenPath(dataDir: string): string {
  return path.join(dataDir, 'setup-token');
}

export function writeSetupTokenFile(dataDir: string, token: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = setupTokenPath(dataDir);
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
}

export function removeSetupTokenFile(dataDir: string): void {
  rmSync(setupTokenPath(dataDir), { force: true });
}
