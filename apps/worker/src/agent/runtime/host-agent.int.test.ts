// The agent process end to end: a tiny manager speaking the agent API, real
// Redis, real pseudo-terminals declared through AGENT_PORTS_FILE, and a
// trivial port worker (AGENT_WORKER_COMMAND) that records how it was started.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { liveKeys, PRINTER_PRESETS, type AgentPortsReport, type AgentPrinter, type AgentState, type DetectedPort, type HostStatus, type PortWorkerSpec } from '@farm/contracts';
import { openPtyPair, type PtyPair } from '@farm/virtual-printer';
import { createTestEnv, type TestEnv } from '../../../../../test/support/test-env.js';

const AGENT_ENTRY = fileURLToPath(new URL('../../agent.ts', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../../../../', import.meta.url));
const TOKEN = `fh_0123abcd_${'C'.repeat(43)}`;
const CONTROL_KEY = 'ef'.repeat(32);

// Records argv and environment, notes SIGTERM, and exits with its parent (stdin pipe closed).
const WORKER_SCRIPT = `
const fs = require('node:fs');
const dir = process.argv[2];
const keep = ['REDIS_URL', 'REDIS_PREFIX', 'FARM_HOST_ID', 'FARM_CONTROL_KEY', 'LOG_LEVEL', 'HOST_TOKEN'];
const env = Object.fromEntries(keep.filter((k) => k in process.env).map((k) => [k, process.env[k]]));
fs.writeFileSync(dir + '/' + process.pid + '.start', JSON.stringify({ spec: JSON.parse(process.argv[3]), env }));
process.on('SIGTERM', () => { fs.writeFileSync(dir + '/' + process.pid + '.stop', 'SIGTERM'); process.exit(0); });
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
setInterval(() => {}, 1000);
`;

type WorkerStart = { pid: number; spec: PortWorkerSpec; env: Record<string, string> };

class FakeManager {
  state: AgentState = { hostId: 'host-1', hostName: 'Rack A', gateOpen: false, controlKey: CONTROL_KEY, printers: [], cameraAllowedSubnets: [] };
  status = 200;
  reports: AgentPortsReport[] = [];
  stateRequests = 0;
  failedRequests = 0;
  badAuth = 0;
  #server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.#server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (req.headers.authorization !== `Bearer ${TOKEN}`) this.badAuth += 1;
        if (this.status !== 200) {
          this.failedRequests += 1;
          res.writeHead(this.status, { 'content-type': 'application/json' });
          res.end('{"error":"unauthorized"}');
        } else if (req.method === 'GET' && req.url === '/api/agent/state') {
          this.stateRequests += 1;
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(this.state));
        } else if (req.method === 'PUT' && req.url === '/api/agent/ports') {
          this.reports.push(JSON.parse(body) as AgentPortsReport);
          res.writeHead(204);
          res.end();
        } else {
          res.writeHead(404);
          res.end();
        }
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server!.address() as AddressInfo).port}`;
  }

  lastReport(): DetectedPort[] | undefined {
    return this.reports.at(-1)?.ports;
  }

  /** Resolves after the agent fetched the state at least once more. */
  async nextPoll(): Promise<void> {
    const seen = this.stateRequests;
    await waitFor(() => this.stateRequests > seen, 'another state poll');
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}

async function waitFor<T>(check: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let env: TestEnv;
let redis: Redis;
beforeAll(async () => {
  env = await createTestEnv();
  redis = new Redis(env.redisUrl);
});
afterAll(async () => {
  await redis.quit();
});

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

type RunningAgent = { child: ChildProcess; exited: Promise<number | null>; stderr: () => string };

function startAgent(extraEnv: Record<string, string>): RunningAgent {
  const child = spawn(process.execPath, ['--import', 'tsx', AGENT_ENTRY], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOST_TOKEN: TOKEN,
      REDIS_URL: env.redisUrl,
      REDIS_PREFIX: env.redisPrefix,
      LOG_LEVEL: 'debug',
      AGENT_SCAN_INTERVAL_MS: '150',
      ...extraEnv,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, exited, stderr: () => stderr };
}

async function workerStarts(dir: string): Promise<WorkerStart[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.start'));
  const starts = await Promise.all(
    names.map(async (n) => ({ pid: Number(n.slice(0, -'.start'.length)), ...(JSON.parse(await readFile(join(dir, n), 'utf8')) as Omit<WorkerStart, 'pid'>) })),
  );
  return starts.sort((a, b) => a.pid - b.pid);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** The pid of the process (of this test's agent) whose command line holds these arguments in a row. */
function processWithArgs(args: readonly string[]): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (argv.some((_, i) => args.every((a, j) => argv[i + j] === a))) return Number(entry);
  }
  return undefined;
}

async function hostStatus(prefix: string): Promise<HostStatus | undefined> {
  const raw = await redis.get(liveKeys(prefix).hostStatus('host-1'));
  return raw === null ? undefined : (JSON.parse(raw) as HostStatus);
}

describe('host agent process', () => {
  it('reports ports, runs, restarts, moves and stops workers, and shuts down cleanly', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'farm-agent-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const workerDir = join(dir, 'workers');
    await import('node:fs/promises').then((fs) => fs.mkdir(workerDir));
    const workerScript = join(dir, 'worker.cjs');
    await writeFile(workerScript, WORKER_SCRIPT);
    const portsFile = join(dir, 'ports.json');
    const ptyA: PtyPair = await openPtyPair({ a: join(dir, 'ttyA'), b: join(dir, 'printerA') });
    const ptyB: PtyPair = await openPtyPair({ a: join(dir, 'ttyB'), b: join(dir, 'printerB') });
    cleanups.push(() => ptyA.close(), () => ptyB.close());
    await writeFile(portsFile, JSON.stringify([{ path: ptyA.a, serialNumber: 'TEST-A-0042' }]));

    const manager = new FakeManager();
    await manager.start();
    cleanups.push(() => manager.stop());
    const agent = startAgent({
      MANAGER_URL: manager.url,
      DATA_DIR: join(dir, 'data'),
      AGENT_VIRTUAL_PRINTERS: 'none',
      AGENT_PORTS_FILE: portsFile,
      AGENT_WORKER_COMMAND: JSON.stringify([process.execPath, workerScript, workerDir, '{spec}']),
    });
    const fail = (what: string) => `${what}\nagent log:\n${agent.stderr()}`;

    // 1. The declared pty shows up as a new port.
    const reported = await waitFor(() => manager.lastReport()?.find((p) => p.path === ptyA.a), 'the declared port in a report').catch((e: Error) => {
      throw new Error(fail(e.message));
    });
    expect(reported).toEqual({ path: ptyA.a, byId: [], byPath: [], serialNumber: 'TEST-A-0042', virtual: true, match: { kind: 'new' } });

    // 2. Adopted while the gate is closed: known, but no worker.
    const profile = PRINTER_PRESETS[0]!.profile;
    const printer: AgentPrinter = { id: 'mk3-a', name: 'MK3 A', enabled: true, identity: { usbSerial: 'TEST-A-0042', devicePath: ptyA.a }, profile };
    manager.state = { ...manager.state, printers: [printer] };
    await waitFor(() => manager.lastReport()?.find((p) => p.path === ptyA.a && p.match.kind === 'known'), 'the port reported as known');
    await manager.nextPoll();
    expect(await workerStarts(workerDir)).toEqual([]);

    // 3. The gate opens: one worker with the right spec and environment.
    manager.state = { ...manager.state, gateOpen: true, cameraAllowedSubnets: ['192.168.5.0/24'] };
    const [first] = await waitFor(async () => {
      const s = await workerStarts(workerDir);
      return s.length === 1 && s;
    }, 'the first worker');
    expect(first!.spec).toEqual({ printerId: 'mk3-a', name: 'MK3 A', port: ptyA.a, profile, cameraAllowedSubnets: ['192.168.5.0/24'] });
    expect(first!.env).toEqual({ REDIS_URL: env.redisUrl, REDIS_PREFIX: env.redisPrefix, FARM_HOST_ID: 'host-1', FARM_CONTROL_KEY: CONTROL_KEY, LOG_LEVEL: 'debug' });
    const running = await waitFor(async () => {
      const s = await hostStatus(env.redisPrefix);
      return s?.workers.length === 1 && s.workers[0]?.pid === first!.pid && s;
    }, 'the worker in the host status');
    expect(running.workers).toEqual([{ printerId: 'mk3-a', state: 'running', pid: first!.pid, restarts: 0 }]);
    expect(await redis.ttl(liveKeys(env.redisPrefix).hostStatus('host-1'))).toBeGreaterThan(0);

    // 3b. The manager goes down: the agent keeps its last state and its worker.
    manager.status = 503;
    const failedBefore = manager.failedRequests;
    await waitFor(() => manager.failedRequests >= failedBefore + 2, 'two failed polls');
    expect(alive(first!.pid)).toBe(true);
    expect(existsSync(join(workerDir, `${first!.pid}.stop`))).toBe(false);
    expect(agent.stderr()).toContain('cannot reach the manager');
    manager.status = 200;
    await manager.nextPoll();

    // 4. A killed worker comes back after a back-off; the restart is counted.
    process.kill(first!.pid, 'SIGKILL');
    const second = await waitFor(async () => (await workerStarts(workerDir)).find((s) => s.pid !== first!.pid), 'a restarted worker');
    expect(second.spec.port).toBe(ptyA.a);
    const restarted = await waitFor(async () => {
      const s = await hostStatus(env.redisPrefix);
      return s?.workers[0]?.pid === second.pid && s;
    }, 'the restart in the host status');
    expect(restarted.workers).toEqual([{ printerId: 'mk3-a', state: 'running', pid: second.pid, restarts: 1 }]);
    expect(agent.stderr()).toContain('restarting after back-off');

    // 5. The printer moves to another path: the worker is replaced with one on the new path.
    await writeFile(portsFile, JSON.stringify([{ path: ptyB.a, serialNumber: 'TEST-A-0042' }]));
    const third = await waitFor(async () => (await workerStarts(workerDir)).find((s) => s.pid !== first!.pid && s.pid !== second.pid), 'a worker on the new path');
    expect(third.spec.port).toBe(ptyB.a);
    expect(existsSync(join(workerDir, `${second.pid}.stop`))).toBe(true);
    expect(manager.lastReport()?.find((p) => p.path === ptyB.a)?.match).toEqual({ kind: 'moved', printerId: 'mk3-a', previousPath: ptyA.a });

    // 6. The port goes away: the worker is stopped and not restarted.
    await writeFile(portsFile, '[]');
    await waitFor(() => existsSync(join(workerDir, `${third.pid}.stop`)), 'the worker stopped on unplug');
    await waitFor(async () => (await hostStatus(env.redisPrefix))?.workers.length === 0, 'no workers in the host status');
    expect(await waitFor(() => manager.lastReport()?.length === 0 && manager.lastReport(), 'an empty report')).toEqual([]);

    // 7. A revoked token stops every worker; the agent keeps running.
    await writeFile(portsFile, JSON.stringify([{ path: ptyA.a, serialNumber: 'TEST-A-0042' }]));
    const fourth = await waitFor(async () => (await workerStarts(workerDir)).find((s) => ![first!.pid, second.pid, third.pid].includes(s.pid)), 'a worker after replug');
    manager.status = 401;
    await waitFor(() => existsSync(join(workerDir, `${fourth.pid}.stop`)), 'the worker stopped after a 401');
    expect(agent.stderr()).toContain('rejected the host token');
    expect(agent.child.exitCode).toBeNull();
    manager.status = 200;
    const fifth = await waitFor(
      async () => (await workerStarts(workerDir)).find((s) => ![first!.pid, second.pid, third.pid, fourth.pid].includes(s.pid)),
      'a worker once the token is accepted again',
      40_000,
    );

    // 8. SIGTERM: workers stopped, host status deleted, exit 0.
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toBe(0);
    expect(existsSync(join(workerDir, `${fifth.pid}.stop`))).toBe(true);
    expect(alive(fifth.pid)).toBe(false);
    expect(await hostStatus(env.redisPrefix)).toBeUndefined();
    expect(manager.badAuth).toBe(0);
  }, 120_000);

  it('starts three virtual printers on an empty host, and they stop when the agent is killed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'farm-agent-vp-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'data');
    const manager = new FakeManager();
    await manager.start();
    cleanups.push(() => manager.stop());
    const agent = startAgent({ MANAGER_URL: manager.url, DATA_DIR: dataDir, AGENT_VIRTUAL_PRINTERS: 'auto' });
    const links = ['prusa-1', 'ender-1', 'klipper-1'].map((n) => join(dataDir, 'virtual-printers', n));

    const ports = await waitFor(() => manager.lastReport()?.length === 3 && manager.lastReport(), 'three virtual ports', 40_000).catch((e: Error) => {
      throw new Error(`${e.message}\nagent log:\n${agent.stderr()}`);
    });
    expect(ports.map((p) => [p.path, p.serialNumber, p.virtual, p.match.kind]).sort()).toEqual(
      [
        [links[1], 'VIRTUAL-ENDER-1', true, 'new'],
        [links[2], 'VIRTUAL-KLIPPER-1', true, 'new'],
        [links[0], 'VIRTUAL-PRUSA-1', true, 'new'],
      ].sort(),
    );
    for (const link of links) expect(existsSync(link)).toBe(true);

    // A virtual printer that dies is started again at the same path.
    const prusaPid = await waitFor(() => processWithArgs(['--link', links[0]!]), 'the prusa virtual printer process');
    process.kill(prusaPid, 'SIGTERM');
    const newPid = await waitFor(() => {
      const pid = processWithArgs(['--link', links[0]!]);
      return pid !== undefined && pid !== prusaPid && existsSync(links[0]!) && pid;
    }, 'the prusa virtual printer restarted', 40_000);
    expect(alive(prusaPid)).toBe(false);
    expect(alive(newPid)).toBe(true);

    // Killed without a chance to clean up: the printers notice their closed stdin and stop (socat removes the links).
    agent.child.kill('SIGKILL');
    await agent.exited;
    await waitFor(() => links.every((l) => !existsSync(l)), 'the virtual printers to stop');
  }, 90_000);
});
