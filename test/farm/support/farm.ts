// A whole farm on this machine for end-to-end tests: the real manager
// (listening on a port, its own database and Redis prefix), a real host agent
// process with its port workers, and virtual printers on real
// pseudo-terminals, declared to the agent through its ports file.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import {
  ADMIN_PASSWORD,
  ORIGIN,
  call,
  completeSetup,
  login,
  startHarness,
  type Caller,
  type Harness,
  type Session,
} from '../../../apps/manager/test/support/harness.js';
import { REPO_ROOT } from '../../e2e/support/vp-process.js';

export { startVpProcess, type VpProcess } from '../../e2e/support/vp-process.js';

const AGENT_ENTRY = join(REPO_ROOT, 'apps/worker/src/agent.ts');

export type DeclaredPort = { path: string; serialNumber?: string; vendorId?: string; productId?: string; physicalPath?: string };

export interface Farm {
  readonly h: Harness;
  /** http://127.0.0.1:port of the listening manager. */
  readonly url: string;
  readonly admin: Session;
  readonly hostId: string;
  /** Replaces the ports the agent sees (plug, unplug, move). */
  setPorts(ports: readonly DeclaredPort[]): Promise<void>;
  startAgent(): ChildProcess;
  /** SIGKILL, like a crashed agent: its workers must not outlive it. */
  killAgent(): Promise<void>;
  readonly agentOutput: () => string;
  api<T = unknown>(caller: Caller, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, payload?: unknown): Promise<{ status: number; body: T }>;
  close(): Promise<void>;
}

export async function startFarm(): Promise<Farm> {
  const h = await startHarness();
  // Controls are signed with the manager's clock and checked by workers
  // against theirs: the farm runs on wall time.
  h.clock.now = () => new Date();
  await completeSetup(h);
  const admin = await login(h, 'admin', ADMIN_PASSWORD);
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;

  const api: Farm['api'] = async (caller, method, path, payload) => {
    const res = await call(h, caller, { method, url: path, ...(payload === undefined ? {} : { payload: payload as object }) });
    const text = res.body;
    return { status: res.statusCode, body: (text === '' ? undefined : JSON.parse(text)) as never };
  };

  const created = await api<{ host: { id: string }; token: string }>(admin, 'POST', '/api/hosts', { name: 'rack-1' });
  if (created.status !== 201) throw new Error(`creating a host failed: ${created.status} ${JSON.stringify(created.body)}`);
  const { token } = created.body;

  const dir = await mkdtemp(join(tmpdir(), 'farm-e2e-agent-'));
  const portsFile = join(dir, 'ports.json');
  await writeFile(portsFile, '[]');
  let agent: ChildProcess | null = null;
  let output = '';

  const startAgent = (): ChildProcess => {
    const child = spawn(process.execPath, ['--import', 'tsx', AGENT_ENTRY], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        MANAGER_URL: url,
        HOST_TOKEN: token,
        REDIS_URL: h.config.redisUrl,
        REDIS_PREFIX: h.config.redisPrefix,
        DATA_DIR: dir,
        LOG_LEVEL: 'info',
        AGENT_VIRTUAL_PRINTERS: 'none',
        AGENT_PORTS_FILE: portsFile,
        AGENT_SCAN_INTERVAL_MS: '500',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    agent = child;
    return child;
  };

  const stopAgent = async (signal: NodeJS.Signals): Promise<void> => {
    const child = agent;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  };

  startAgent();
  return {
    h,
    url,
    admin,
    hostId: created.body.host.id,
    setPorts: (ports) => writeFile(portsFile, JSON.stringify(ports)),
    startAgent,
    killAgent: () => stopAgent('SIGKILL'),
    agentOutput: () => output,
    api,
    async close() {
      await stopAgent('SIGTERM');
      await h.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Polls until `probe` returns a value other than undefined. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 20_000, detail?: () => string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}${detail ? `\n${detail()}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export type LiveMessage = { type: string; [key: string]: unknown };

/** A dashboard's WebSocket: every message it received, in order. */
export interface LiveClient {
  readonly messages: LiveMessage[];
  next(what: string, match: (m: LiveMessage) => boolean, timeoutMs?: number): Promise<LiveMessage>;
  send(message: unknown): void;
  readonly closed: Promise<number>;
  close(): void;
}

export async function openLive(farm: Farm, session: Session): Promise<LiveClient> {
  const ticket = await farm.api<{ ticket: string }>(session, 'POST', '/api/live/ticket', {});
  if (ticket.status !== 200 && ticket.status !== 201) throw new Error(`ticket: ${ticket.status} ${JSON.stringify(ticket.body)}`);
  const ws = new WebSocket(`${farm.url.replace('http', 'ws')}/api/live?ticket=${encodeURIComponent(ticket.body.ticket)}`, {
    headers: { origin: ORIGIN, cookie: session.cookie },
  });
  const messages: LiveMessage[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data: Buffer) => {
    messages.push(JSON.parse(data.toString()) as LiveMessage);
    for (const wake of waiters) wake();
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return {
    messages,
    send: (message) => ws.send(JSON.stringify(message)),
    closed,
    close: () => ws.close(),
    next(what, match, timeoutMs = 20_000) {
      let seen = 0;
      return new Promise((resolve, reject) => {
        const check = () => {
          for (; seen < messages.length; seen++) {
            const m = messages[seen] as LiveMessage;
            if (match(m)) {
              waiters.delete(check);
              clearTimeout(timer);
              resolve(m);
              return;
            }
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting on the live feed for ${what}; got ${messages.map((m) => m.type).join(', ')}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}
