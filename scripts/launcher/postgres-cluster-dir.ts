// Where the embedded cluster lives. Normally DATA_DIR/postgres/cluster. When
// the launcher runs as root, Postgres runs as the `postgres` system user, which
// must be able to walk down to that folder; a checkout under /root (mode 0700)
// does not allow it. The cluster then lives in a fixed folder per DATA_DIR
// under /var/lib/print-farm, so `npm ci && npm start` works from anywhere.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { LauncherError } from './errors.js';
import type { OsUser } from './postgres-os-user.js';
import { runToEnd } from './run-to-end.js';

export interface ClusterLocation {
  /** The folder holding the cluster; initdb's temporary password file goes here too. */
  parent: string;
  clusterDir: string;
}

export const fallbackBase = '/var/lib/print-farm';

/** The preferred and the fallback location for a data folder. Pure. */
export function clusterLocations(dataDir: string): { preferred: ClusterLocation; fallback: ClusterLocation } {
  const preferredParent = path.join(dataDir, 'postgres');
  const fallbackParent = path.join(
    fallbackBase,
    `postgres-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`,
  );
  return {
    preferred: { parent: preferredParent, clusterDir: path.join(preferredParent, 'cluster') },
    fallback: { parent: fallbackParent, clusterDir: path.join(fallbackParent, 'cluster') },
  };
}

export async function prepareClusterLocation(
  dataDir: string,
  user: OsUser | undefined,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<ClusterLocation> {
  const { preferred, fallback } = clusterLocations(dataDir);
  await fs.mkdir(preferred.clusterDir, { recursive: true, mode: 0o700 });
  if (!user) return preferred; // Postgres runs as us: it can reach whatever we can
  if (await exists(path.join(fallback.clusterDir, 'PG_VERSION'))) return reachable(fallback, user, env);

  // Execute bit only: the postgres user may pass through, not list the folders
  // or read the 0600 secrets in them.
  for (const dir of [dataDir, preferred.parent]) {
    const { mode } = await fs.stat(dir);
    if ((mode & 0o001) === 0) await fs.chmod(dir, (mode & 0o7777) | 0o001);
  }
  await fs.chown(preferred.clusterDir, user.uid, user.gid);
  if (await canWrite(preferred.clusterDir, user, env)) return preferred;

  log(`postgres: the "postgres" system user cannot reach ${dataDir}; keeping the cluster in ${fallback.clusterDir}`);
  await fs.mkdir(fallback.parent, { recursive: true, mode: 0o711 });
  await fs.chmod(fallbackBase, 0o711);
  await fs.chmod(fallback.parent, 0o711);
  await fs.mkdir(fallback.clusterDir, { recursive: true, mode: 0o700 });
  await fs.chown(fallback.clusterDir, user.uid, user.gid);
  return reachable(fallback, user, env);
}

async function reachable(location: ClusterLocation, user: OsUser, env: NodeJS.ProcessEnv): Promise<ClusterLocation> {
  if (await canWrite(location.clusterDir, user, env)) return location;
  throw new LauncherError(
    'DATA_DIR_UNUSABLE',
    `The system user "postgres" cannot write to ${location.clusterDir}. ` +
      'Set DATA_DIR to a folder under a world-traversable path (e.g. /var/lib/farm), or set DATABASE_URL.',
  );
}

async function canWrite(dir: string, user: OsUser, env: NodeJS.ProcessEnv): Promise<boolean> {
  return (await runToEnd('test', ['-w', dir], { ...user, env })).code === 0;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
