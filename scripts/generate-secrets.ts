// Writes the secrets for docker-compose.yml into a new `.env` (mode 0600) next
// to it, or into the file given with --out. Never overwrites: an existing
// `.env` holds the passwords the database volume was created with.
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateComposeSecrets, renderEnvFile } from './secrets/compose-secrets.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function outputPath(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  if (i === -1) return path.join(repoRoot, '.env');
  const value = argv[i + 1];
  if (!value) throw new Error('--out needs a file name');
  return path.resolve(value);
}

async function main(): Promise<number> {
  const file = outputPath(process.argv.slice(2));
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx', 0o600); // fails if the file exists
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      console.error(`${file} already exists; not overwriting it (it holds the passwords your data was created with).`);
      return 1;
    }
    throw err;
  }
  try {
    await handle.chmod(0o600); // the mode given to open() is filtered by the umask
    await handle.writeFile(renderEnvFile(generateComposeSecrets(randomBytes), new Date()));
  } finally {
    await handle.close();
  }
  console.log(`wrote ${file} (mode 0600). Next: docker compose up -d --build`);
  return 0;
}

process.exitCode = await main();
