// Starts the machine's redis-server with its data under DATA_DIR/redis, a
// generated password, loopback only, on a free port.
import { accessSync, constants, promises as fs, statSync } from 'node:fs';
import path from 'node:path';
import { LauncherError } from './errors.js';
import { findOnPath } from './find-executable.js';
import { findFreePort } from './free-port.js';
import { startManagedProcess, type ManagedProcess } from './managed-process.js';
import { renderRedisConf } from './redis-conf.js';
import { pingRedis } from './redis-probe.js';
import { readOrCreateSecret } from './secret-file.js';
import { stopStaleProcess } from './stale-process.js';
import { redisUrl } from './urls.js';
import { waitUntilReady } from './wait-ready.js';

export const redisMissingMessage = [
  'redis-server was not found on PATH. The farm needs Redis 7 or newer. Either:',
  '  - install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis), then run npm start again, or',
  '  - set REDIS_URL to an existing Redis, e.g. REDIS_URL=redis://:PASSWORD@127.0.0.1:6379',
].join('\n');

/** Checked before anything starts, so a missing Redis fails fast and starts nothing. */
export function locateRedisServer(searchPath: string | undefined): string {
  const found = findOnPath('redis-server', searchPath, isExecutableFile);
  if (!found) throw new LauncherError('REDIS_SERVER_MISSING', redisMissingMessage);
  return found;
}

export interface LocalRedisOptions {
  redisServer: string;
  dataDir: string;
  signal: AbortSignal;
  log: (line: string) => void;
  onStarted: (proc: ManagedProcess) => void;
}

export interface LocalRedis {
  process: ManagedProcess;
  url: string;
  port: number;
}

export async function startLocalRedis(options: LocalRedisOptions): Promise<LocalRedis> {
  const dir = path.join(options.dataDir, 'redis');
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const password = await readOrCreateSecret(path.join(dir, 'password'));
  const pidFile = path.join(dir, 'redis.pid');
  if (await stopStaleProcess(pidFile, 'redis-server', 'SIGTERM')) {
    options.log('redis: stopped a redis-server left running by an earlier start');
  }
  const port = await findFreePort();
  const confFile = path.join(dir, 'redis.conf');
  await fs.writeFile(confFile, renderRedisConf({ port, dir, pidFile, password }), { mode: 0o600 });
  await fs.chmod(confFile, 0o600);

  const proc = await startManagedProcess({
    name: 'redis',
    command: options.redisServer,
    args: [confFile],
    cwd: dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stopSignal: 'SIGTERM', // Redis flushes its append-only file and exits
    stopGraceMs: 15_000,
    output: 'prefixed',
  });
  options.onStarted(proc);
  await waitUntilReady(proc, () => pingRedis({ port, password }), { timeoutMs: 30_000, signal: options.signal });
  return { process: proc, port, url: redisUrl({ password, port }) };
}

function isExecutableFile(candidate: string): boolean {
  try {
    accessSync(candidate, constants.X_OK);
    return statSync(candidate).isFile();
  } catch {
    return false;
  }
}
