// Writes the secrets for docker-compose.yml into a new `.env` (mode 0600) next
// to it, or into the file given with --out. Never overwrites: an existing
// `.env` holds the passwords the database volume was created with.
// `--add-missing` appends only the secrets an existing file lacks (an `.env`
// made by an older version, before the host agent's LOCAL_HOST_TOKEN).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  generateComposeSecrets,
  missingSecretNames,
  renderEnvFile,
  renderMissingSecrets,
} from './secrets/compose-secrets.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

function outputPath(argv: readonly string[]): string {
  const i = argv.indexOf('--out');
  if (i === -1) return path.join(repoRoot, '.env');
  const value = argv[i + 1];
  if (!value) throw new Error('--out needs a file name');
  return path.resolve(value);
}

async function addMissing(file: string): Promise<number> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    console.error(`${file} does not exist; run without --add-missing to create it.`);
    return 1;
  }
  const missing = missingSecretNames(text);
  if (missing.length === 0) {
    console.log(`${file} already holds every secret; nothing to add.`);
    return 0;
  }
  let lines: string;
  try {
    lines = renderMissingSecrets(missing, generateComposeSecrets(randomBytes), new Date());
  } catch (err) {
    console.error(`${file}: ${(err as Error).message}`);
    return 1;
  }
  const separator = text.endsWith('\n') || text === '' ? '' : '\n';
  await fs.appendFile(file, separator + lines);
  await fs.chmod(file, 0o600);
  console.log(`added ${missing.join(', ')} to ${file}`);
  return 0;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const file = outputPath(argv);
  if (argv.includes('--add-missing')) return addMissing(file);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx', 0o600); // fails if the file exists
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') {
      console.error(
        `${file} already exists; not overwriting it (it holds the passwords your data was created with). ` +
          'To add secrets a newer version needs: npm run secrets -- --add-missing',
      );
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
