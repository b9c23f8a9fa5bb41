// `npm start`: runs the whole farm on this machine. Postgres and Redis come from
// DATABASE_URL / REDIS_URL when set; otherwise an embedded Postgres and the
// machine's redis-server are started with their data under DATA_DIR. Then the
// apps start; Ctrl-C (or SIGTERM) stops the apps first, then Redis, then Postgres.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appProcesses, appProcessSpec } from './launcher/apps.js';
import { buildAppEnv } from './launcher/child-env.js';
import { LauncherError } from './launcher/errors.js';
import { startLocalPostgres } from './launcher/local-postgres.js';
import { locateRedisServer, startLocalRedis } from './launcher/local-redis.js';
import { startManagedProcess } from './launcher/managed-process.js';
import { describeOutcome, exitCodeFor, type LaunchOutcome } from './launcher/outcome.js';
import { planLaunch } from './launcher/plan.js';
import { ProcessSet } from './launcher/process-set.js';
import { redactUrl } from './launcher/urls.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const log = (line: string): void => {
  process.stdout.write(`[farm] ${line}\n`);
};

const children = new ProcessSet();
const startup = new AbortController();
let stopRequested: ((signal: NodeJS.Signals) => void) | undefined;
const stopSignal = new Promise<NodeJS.Signals>((resolve) => {
  stopRequested = resolve;
});

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  // npm, tsx and the terminal may each deliver the same Ctrl-C: the first one
  // starts the ordered stop, later ones are ignored (each stop has its own
  // SIGKILL deadline, so nothing can hang forever).
  process.on(sig, () => {
    if (startup.signal.aborted) return;
    startup.abort(new Error(`received ${sig}`));
    stopRequested?.(sig);
  });
}
// Whatever happens to the launcher, no child outlives it.
process.on('exit', () => children.killAllNow());

async function run(): Promise<LaunchOutcome> {
  const plan = planLaunch(process.env, repoRoot);
  // Check every prerequisite before starting anything.
  const redisServer = plan.redis.kind === 'local' ? locateRedisServer(process.env.PATH) : undefined;
  for (const app of appProcesses) {
    if (!existsSync(path.join(repoRoot, app.entry))) {
      throw new LauncherError('SERVICE_START_FAILED', `${app.entry} does not exist: cannot start ${app.name}`);
    }
  }
  await fs.mkdir(plan.dataDir, { recursive: true, mode: 0o700 });
  log(`data folder: ${plan.dataDir}`);

  const common = { dataDir: plan.dataDir, signal: startup.signal, log, onStarted: children.add.bind(children) };
  let databaseUrl: string;
  if (plan.postgres.kind === 'external') {
    databaseUrl = plan.postgres.url;
    log(`postgres: using DATABASE_URL ${redactUrl(databaseUrl)}`);
  } else {
    const pg = await startLocalPostgres({ ...common, repoRoot });
    databaseUrl = pg.url;
    log(`postgres: embedded, listening on 127.0.0.1:${pg.port} (${redactUrl(pg.url)})`);
  }
  startup.signal.throwIfAborted();

  let redisUrl: string;
  if (plan.redis.kind === 'external') {
    redisUrl = plan.redis.url;
    log(`redis: using REDIS_URL ${redactUrl(redisUrl)}`);
  } else {
    const redis = await startLocalRedis({ ...common, redisServer: redisServer ?? 'redis-server' });
    redisUrl = redis.url;
    log(`redis: ${redisServer ?? 'redis-server'} listening on 127.0.0.1:${redis.port}`);
  }
  startup.signal.throwIfAborted();

  const env = buildAppEnv(process.env, { databaseUrl, redisUrl, dataDir: plan.dataDir });
  for (const app of appProcesses) {
    const proc = await startManagedProcess(appProcessSpec(app, { repoRoot, env, nodePath: process.execPath }));
    children.add(proc);
    log(`${app.name} started (pid ${proc.pid})`);
    startup.signal.throwIfAborted();
  }

  return Promise.race([
    stopSignal.then((signal): LaunchOutcome => ({ kind: 'stopped', signal })),
    children.firstExit().then(({ name, exit }): LaunchOutcome => ({ kind: 'child-exited', name, exit })),
  ]);
}

async function main(): Promise<number> {
  let outcome: LaunchOutcome;
  try {
    outcome = await run();
  } catch (err) {
    if (startup.signal.aborted) {
      outcome = { kind: 'stopped', signal: await stopSignal };
    } else if (err instanceof LauncherError) {
      process.stderr.write(`[farm] ${err.message}\n`);
      outcome = { kind: 'failed', exitCode: err.exitCode };
    } else {
      process.stderr.write(`[farm] ${err instanceof Error ? err.message : String(err)}\n`);
      outcome = { kind: 'failed', exitCode: 1 };
    }
  }
  log(describeOutcome(outcome));
  await children.stopAll(log);
  log('stopped');
  return exitCodeFor(outcome);
}

process.exitCode = await main();
