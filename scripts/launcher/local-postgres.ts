// Starts the embedded Postgres: a cluster under DATA_DIR/postgres/cluster (one
// exception: see postgres-cluster-dir.ts), created on first start and reused
// afterwards, listening on a free loopback port with a generated superuser
// password, and the `farm` database in it.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { LauncherError } from './errors.js';
import { findFreePort } from './free-port.js';
import { startManagedProcess, type ManagedProcess } from './managed-process.js';
import { embeddedDatabaseName, embeddedPostgresUser, initdbArgs, postgresArgs } from './postgres-args.js';
import { findPostgresBinaries } from './postgres-binaries.js';
import { prepareClusterLocation } from './postgres-cluster-dir.js';
import { postgresOsUser, type OsUser } from './postgres-os-user.js';
import { runOrThrow } from './run-to-end.js';
import { readOrCreateSecret } from './secret-file.js';
import { stopStaleProcess } from './stale-process.js';
import { postgresUrl } from './urls.js';
import { waitUntilReady } from './wait-ready.js';

export interface LocalPostgresOptions {
  repoRoot: string;
  dataDir: string;
  signal: AbortSignal;
  log: (line: string) => void;
  /** Registers the process as soon as it exists, so a Ctrl-C during start still stops it. */
  onStarted: (proc: ManagedProcess) => void;
}

export interface LocalPostgres {
  process: ManagedProcess;
  url: string;
  port: number;
}

/** Only the tools' own environment: the launcher's secrets stay out of Postgres' processes. */
const toolEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' };

export async function startLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const binaries = await findPostgresBinaries(options.repoRoot);
  const secretsDir = path.join(options.dataDir, 'postgres');
  await fs.mkdir(secretsDir, { recursive: true, mode: 0o700 });
  const password = await readOrCreateSecret(path.join(secretsDir, 'superuser-password'));
  const user = await postgresOsUser(options.log);
  const { parent, clusterDir } = await prepareClusterLocation(options.dataDir, user, toolEnv, options.log);

  if (await exists(path.join(clusterDir, 'PG_VERSION'))) {
    if (await stopStaleProcess(path.join(clusterDir, 'postmaster.pid'), 'postgres', 'SIGINT')) {
      options.log('postgres: stopped a Postgres left running by an earlier start');
    }
  } else {
    options.log(`postgres: first start, creating the cluster in ${clusterDir}`);
    await initCluster(binaries.initdb, parent, clusterDir, password, user, options.signal);
  }

  const port = await findFreePort();
  const proc = await startManagedProcess({
    name: 'postgres',
    command: binaries.postgres,
    args: postgresArgs({ clusterDir, port }),
    env: toolEnv,
    stopSignal: 'SIGINT', // "fast" shutdown: ends sessions, checkpoints, exits
    stopGraceMs: 30_000,
    output: 'prefixed',
    ...(user ?? {}),
  });
  options.onStarted(proc);
  const superuser = { user: embeddedPostgresUser, password, port };
  await waitUntilReady(proc, async () => void (await query(superuser, 'postgres', 'SELECT 1')), {
    timeoutMs: 30_000,
    signal: options.signal,
  });
  await ensureDatabase(superuser, embeddedDatabaseName);
  return { process: proc, port, url: postgresUrl({ ...superuser, database: embeddedDatabaseName }) };
}

async function initCluster(
  initdb: string,
  parent: string,
  clusterDir: string,
  password: string,
  user: OsUser | undefined,
  signal: AbortSignal,
): Promise<void> {
  // initdb reads the superuser password from a file the postgres user can read;
  // it lives only for the duration of initdb.
  const passwordFile = path.join(parent, `.initdb-password-${process.pid}`);
  await fs.writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'w' });
  try {
    if (user) await fs.chown(passwordFile, user.uid, user.gid);
    await runOrThrow(initdb, initdbArgs({ clusterDir, passwordFile }), { ...(user ?? {}), env: toolEnv, signal });
  } catch (err) {
    if (err instanceof LauncherError || signal.aborted) throw err;
    throw new LauncherError('SERVICE_START_FAILED', `initdb failed: ${(err as Error).message}`, { cause: err });
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

interface Superuser {
  user: string;
  password: string;
  port: number;
}

async function query(
  superuser: Superuser,
  database: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResult> {
  const client = new pg.Client({ host: '127.0.0.1', ...superuser, database, connectionTimeoutMillis: 2_000 });
  client.on('error', () => undefined); // a dropped connection surfaces through the query instead
  await client.connect();
  try {
    return await client.query(sql, params);
  } finally {
    await client.end();
  }
}

async function ensureDatabase(superuser: Superuser, name: string): Promise<void> {
  const found = await query(superuser, 'postgres', 'SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (found.rowCount === 0) await query(superuser, 'postgres', `CREATE DATABASE ${pg.escapeIdentifier(name)}`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
