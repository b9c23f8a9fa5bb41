// Brings up the farm the bench measures: the manager (its own process, fresh
// database and Redis prefix), the first admin, the host agent with the
// virtual printers declared as ports, and every port adopted as a printer.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { PRINTER_PRESETS, type PrinterProfile } from '@farm/contracts';
import { setUpAndLogIn, type ManagerApi } from './manager-api.js';
import { waitForLine, type BenchProcess, type ProcessSet } from './processes.js';
import type { BenchServices } from './services.js';

export interface FarmProcesses {
  manager: BenchProcess;
  agent: BenchProcess;
  api: ManagerApi;
  hostId: string;
  /** Printer ids, by virtual printer index. */
  printerIds: string[];
}

export interface FarmSetupOptions {
  repoRoot: string;
  exitWithParent: string;
  dir: string;
  services: BenchServices;
  printerPaths: readonly string[];
  /** The port worker command for the agent (JSON array with `{spec}`). */
  workerCommand: readonly string[];
  profile: PrinterProfile;
  log: (line: string) => void;
}

const BASE_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

/** A Marlin printer at 250000 baud with ADVANCED_OK (window flow control), from the Prusa preset's shape. */
export function benchProfile(rxBufferBytes: number): PrinterProfile {
  const preset = PRINTER_PRESETS.find((p) => p.id === 'prusa-mk3s');
  if (!preset) throw new Error('preset prusa-mk3s is missing');
  return { ...preset.profile, model: 'Bench Marlin', firmware: 'marlin', baudRate: 250000, flowControl: 'auto', receiveBufferBytes: rxBufferBytes };
}

export async function startFarm(processes: ProcessSet, options: FarmSetupOptions): Promise<FarmProcesses> {
  const { repoRoot, services, log } = options;
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const hostToken = `fh_${randomBytes(4).toString('hex')}_${randomBytes(32).toString('base64url')}`;
  const manager = processes.start({
    name: 'manager',
    file: process.execPath,
    args: ['--import', 'tsx', '--import', options.exitWithParent, join(repoRoot, 'apps/manager/src/main.ts')],
    env: {
      ...BASE_ENV,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: services.redisPrefix,
      DATA_DIR: join(options.dir, 'manager'),
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: url,
      LOCAL_HOST_TOKEN: hostToken,
      METRICS_TOKEN: randomBytes(24).toString('base64url'),
      ADMIN_TOTP_REQUIRED: 'false',
      LOG_LEVEL: 'warn',
    },
    cwd: repoRoot,
    stdin: true,
  });
  const setupLine = waitForLine(manager, /Setup URL: \S+\?token=(\S+)/, 120_000);
  void setupLine.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  await waitForLine(manager, /^Listening on /, 120_000);
  const token = (await setupLine)[1]!;
  const api = await setUpAndLogIn(url, url, token, { username: 'bench-admin', password: randomBytes(18).toString('base64url') });
  log(`manager up at ${url} (pid ${manager.pid})`);

  const portsFile = join(options.dir, 'ports.json');
  await writeFile(portsFile, JSON.stringify(options.printerPaths.map((path, i) => ({ path, serialNumber: `BENCH-${i}` }))));
  const agent = processes.start({
    name: 'host agent',
    file: process.execPath,
    args: ['--import', 'tsx', '--import', options.exitWithParent, join(repoRoot, 'apps/worker/src/agent.ts')],
    env: {
      ...BASE_ENV,
      MANAGER_URL: url,
      HOST_TOKEN: hostToken,
      REDIS_URL: services.redisUrl,
      REDIS_PREFIX: services.redisPrefix,
      DATA_DIR: join(options.dir, 'agent'),
      LOG_LEVEL: 'warn',
      AGENT_VIRTUAL_PRINTERS: 'none',
      AGENT_PORTS_FILE: portsFile,
      AGENT_SCAN_INTERVAL_MS: '1000',
      AGENT_WORKER_COMMAND: JSON.stringify(options.workerCommand),
    },
    cwd: repoRoot,
    stdin: true,
  });

  type Listed = { ports: { hostId: string; port: { path: string } }[] };
  const listed = await poll('every port detected', 60_000, async () => {
    const res = await api.call<Listed>('GET', '/api/ports');
    const seen = res.body.ports.filter((p) => options.printerPaths.includes(p.port.path));
    return seen.length === options.printerPaths.length ? seen : undefined;
  }, () => agent.tail());
  const hostId = listed[0]!.hostId;
  const printerIds: string[] = [];
  for (const [i, path] of options.printerPaths.entries()) {
    const adopted = await api.call<{ printer: { id: string } }>('POST', '/api/ports/adopt', { hostId, path, name: `Bench ${i}`, profile: options.profile });
    if (adopted.status !== 201) throw new Error(`adopting ${path}: ${adopted.status} ${JSON.stringify(adopted.body)}`);
    printerIds.push(adopted.body.printer.id);
  }
  log(`${printerIds.length} printers adopted; waiting for their workers to connect`);
  type Listing = { printers: { id: string; live?: { status: string } }[] };
  await poll('every printer idle', 180_000, async () => {
    const res = await api.call<Listing>('GET', '/api/printers');
    const idle = res.body.printers.filter((p) => printerIds.includes(p.id) && p.live?.status === 'idle').length;
    return idle === printerIds.length ? true : undefined;
  }, () => agent.tail());
  return { manager, agent, api, hostId, printerIds };
}

export async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>, detail: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
