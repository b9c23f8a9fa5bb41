// `npm start`: runs the whole farm on this machine. Postgres and Redis come from
// DATABASE_URL / REDIS_URL when set; otherwise an embedded Postgres and the
// machine's redis-server are started with their data under DATA_DIR. Then the
// manager starts, and once it answers, this machine's host agent (registered as
// host `local` with a token generated into DATA_DIR). Ctrl-C (or SIGTERM) stops
// the agent first (it stops its port workers), then the manager, Redis, Postgres.
import { existsSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeAgent } from './launcher/agent-summary.js';
import { appEnv, appProcesses, appProcessSpec } from './launcher/apps.js';
import type { ResolvedServices } from './launcher/child-env.js';
import { LauncherError } from './launcher/errors.js';
import { findFreePort } from './launcher/free-port.js';
import { readOrCreateLocalHostToken } from './launcher/host-token.js';
import { startLocalPostgres } from './launcher/local-postgres.js';
import { locateRedisServer, startLocalRedis } from './launcher/local-redis.js';
import { startManagedProcess, type ManagedProcess } from './launcher/managed-process.js';
import { waitForManager } from './launcher/manager-ready.js';
import { managerPort, managerUrl } from './launcher/manager-url.js';
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

  // PORT=0 ("any free port") is settled here, so the agent knows where the manager is.
  const requestedPort = managerPort(process.env);
  const port = requestedPort || (await findFreePort());
  // Otherwise PORT passes through as given: a bad value is the manager's to report.
  const base = requestedPort === 0 ? { ...process.env, PORT: String(port) } : process.env;
  const services: ResolvedServices = {
    databaseUrl,
    redisUrl,
    dataDir: plan.dataDir,
    managerUrl: managerUrl(process.env, port),
    hostToken: process.env.LOCAL_HOST_TOKEN?.trim() || (await readOrCreateLocalHostToken(plan.dataDir)),
  };
  let manager: ManagedProcess | undefined;
  for (const app of appProcesses) {
    if (app.kind === 'agent' && manager) {
      const readiness = await waitForManager(manager, services.managerUrl, {
        timeoutMs: 120_000,
        signal: startup.signal,
      });
      if (readiness === 'exited') break; // reported below as the manager's exit
      if (readiness === 'timed-out') log('manager not answering yet; starting the host agent anyway (it retries)');
    }
    const env = appEnv(app, base, services);
    const proc = await startManagedProcess(appProcessSpec(app, { repoRoot, env, nodePath: process.execPath }));
    children.add(proc);
    if (app.kind === 'manager') manager = proc;
    log(`${app.name} started (pid ${proc.pid})`);
    if (app.kind === 'agent') log(describeAgent(process.env));
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
