import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Migrator, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely';

// Migrations work on any typed database handle; they see the schema as untyped.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The repository's top-level migrations folder: the only way the schema changes. */
export const migrationsFolder = fileURLToPath(new URL('../../../migrations', import.meta.url));

/** `folder` overrides the source folder, e.g. compiled JavaScript migrations in a production image. */
export function createMigrator(db: AnyDb, folder: string = migrationsFolder): Migrator {
  return new Migrator({
    db,
    provider: new FolderMigrationProvider(folder),
  });
}

/** Runs every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: AnyDb, folder?: string): Promise<MigrationResultSet> {
  return unwrap(await createMigrator(db, folder).migrateToLatest());
}

export async function migrateDown(db: AnyDb, folder?: string): Promise<MigrationResultSet> {
  return unwrap(await createMigrator(db, folder).migrateDown());
}

function unwrap(result: MigrationResultSet): MigrationResultSet {
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '(unknown)'} failed: ${reason}`, { cause: result.error });
  }
  return result;
}

/**
 * Imports every migration file in a folder. Kysely's FileMigrationProvider
 * imports from inside node_modules, where test runners and tsx may not
 * transform TypeScript; importing from here lets them.
 */
class FolderMigrationProvider implements MigrationProvider {
  constructor(private readonly folder: string) {}

  async getMigrations(): Promise<Record<string, Migration>> {
    const migrations: Record<string, Migration> = {};
    const files = (await fs.readdir(this.folder))
      .filter((f) => /\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .sort();
    for (const file of files) {
      const mod = (await import(pathToFileURL(path.join(this.folder, file)).href)) as Partial<Migration>;
      if (typeof mod.up !== 'function') continue;
      migrations[file.replace(/\.(ts|js|mjs)$/, '')] = mod as Migration;
    }
    return migrations;
  }
}
