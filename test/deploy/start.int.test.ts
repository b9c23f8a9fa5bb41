// Really runs `npm start`'s launcher with no DATABASE_URL / REDIS_URL: an
// embedded Postgres and the machine's redis-server on free ports, in a
// temporary DATA_DIR; the manager prints its setup URL, the host agent starts
// and, once the first admin exists, its three virtual printers show up as
// detected ports; SIGTERM stops it all, the agent and its children first.
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../scripts/launcher/free-port.js';
import { clusterLocations, fallbackBase } from '../../scripts/launcher/postgres-cluster-dir.js';
import { childPids, isAlive, repoRoot, startLauncher, type LauncherRun } from './launcher-process.js';
import { rawExchange } from './resp.js';

const entries = ['apps/manager/src/main.ts', 'apps/worker/src/agent.ts'];
const missingEntries = entries.filter((entry) => !existsSync(path.join(repoRoot, entry)));
const managerMissing = missingEntries.length > 0;

const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-start-'));
// A data folder below a 0700 folder, like a checkout under /root.
const closedParent = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-closed-'));
const closedDataDir = path.join(closedParent, 'data');
const running = new Set<LauncherRun>();
afterAll(async () => {
  // A test that failed half-way leaves its launcher running: stop it the
  // normal way so it stops its Postgres and Redis too.
  for (const run of running) {
    run.child.kill('SIGTERM');
    await run.exited;
  }
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.rm(closedParent, { recursive: true, force: true });
  await fs.rm(clusterLocations(closedDataDir).fallback.parent, { recursive: true, force: true });
  await fs.rmdir(fallbackBase).catch(() => undefined); // only if nothing else lives there
});

let managerPort = 0;

async function launch(dir = dataDir, extra: NodeJS.ProcessEnv = {}): Promise<LauncherRun> {
  managerPort = await findFreePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dir,
    HOST: '127.0.0.1',
    PORT: String(managerPort),
    // The API walk-through below signs in as the first admin without enrolling TOTP.
    ADMIN_TOTP_REQUIRED: 'false',
  };
  const inherited = [
    'DATABASE_URL',
    'REDIS_URL',
    'REDIS_PREFIX',
    'SESSION_SECRET',
    'JOB_SIGNING_SECRET',
    'DATA_ENCRYPTION_KEY',
    'PUBLIC_URL',
    'LOCAL_HOST_TOKEN',
    'HOST_TOKEN',
    'AGENT_VIRTUAL_PRINTERS',
    'AGENT_PORTS_FILE',
    'AGENT_WORKER_COMMAND',
  ];
  for (const name of inherited) delete env[name];
  const run = startLauncher({ ...env, ...extra });
  running.add(run);
  return run;
}

/** Stops the launcher with SIGTERM and checks that no process it (or the agent) started survives. */
async function stopAndCheckNoOrphans(run: LauncherRun): Promise<string[]> {
  const pid = run.child.pid ?? -1;
  // tsx's esbuild helper is the launcher's child too; it ends by itself once
  // the launcher's pipe to it closes, so only the processes we started count.
  const children = (await childPids(pid)).filter((child) => child.name !== 'esbuild').map((child) => child.pid);
  expect(children.length).toBeGreaterThanOrEqual(4); // postgres, redis, manager, agent
  // The agent's own children: port workers and virtual printers (and their socat).
  const agentPid = Number(/\[farm\] agent started \(pid (\d+)\)/.exec(run.output())?.[1]);
  const grandchildren = (await childPids(agentPid)).filter((child) => child.name !== 'esbuild').map((c) => c.pid);
  run.child.kill('SIGTERM');
  expect(await run.exited).toBe(0);
  running.delete(run);
  expect([...children, ...grandchildren].filter(isAlive)).toEqual([]);
  return run.output().split('\n');
}

/** A same-origin browser against the launched manager: cookie, CSRF token and Origin. */
class Browser {
  private cookie = '';
  private csrfToken = '';
  constructor(private readonly origin: string) {}

  async request(method: string, url: string, body?: unknown): Promise<{ status: number; json: unknown }> {
    const headers: Record<string, string> = { origin: this.origin };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(`${this.origin}${url}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const session = response.headers.getSetCookie().find((c) => /^(__Host-)?farm_session=/.test(c));
    if (session) this.cookie = session.split(';')[0] ?? '';
    const text = await response.text();
    return { status: response.status, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  async signIn(username: string, password: string): Promise<void> {
    const { status, json } = await this.request('POST', '/api/auth/login', { username, password });
    expect(status).toBe(200);
    this.csrfToken = (json as { csrfToken: string }).csrfToken;
  }
}

interface ListedPort {
  hostId: string;
  hostName: string;
  port: { path: string; virtual: boolean; serialNumber?: string; match: { kind: string } };
}

/** Polls GET /api/ports until `enough` holds (the agent reports every few seconds). */
async function waitForPorts(browser: Browser, enough: (ports: ListedPort[]) => boolean): Promise<ListedPort[]> {
  for (;;) {
    const { status, json } = await browser.request('GET', '/api/ports');
    expect(status).toBe(200);
    const ports = (json as { ports: ListedPort[] }).ports;
    if (enough(ports)) return ports;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// Skipped (with this reason in the report) only while the manager has no entry point yet.
describe.skipIf(managerMissing)(
  `npm start with nothing configured (needs ${missingEntries.join(', ') || 'both entries'})`,
  () => {
    it('brings up embedded Postgres, redis-server, the manager with a setup URL, and the host agent with three virtual printers', async () => {
      const run = await launch();
      await run.waitFor('Setup URL:');
      await run.waitFor('[farm] agent started');
      expect(run.output()).toContain('first start, creating the cluster');
      expect(run.output()).toMatch(/postgres: embedded, listening on 127\.0\.0\.1:\d+/);
      expect(run.output()).toMatch(/Listening on http:\/\/127\.0\.0\.1:\d+/);
      // The local Redis answers nobody without the generated password.
      const redisPort = Number(/redis: .* listening on 127\.0\.0\.1:(\d+)/.exec(run.output())?.[1]);
      expect(await rawExchange(redisPort, [['PING']])).toEqual([expect.stringMatching(/^-NOAUTH/)]);
      // Secrets are generated into DATA_DIR, readable by the owner only, and never printed.
      for (const file of ['postgres/superuser-password', 'redis/password', 'local-host-token']) {
        expect((await fs.stat(path.join(dataDir, file))).mode & 0o777).toBe(0o600);
        expect(run.output()).not.toContain((await fs.readFile(path.join(dataDir, file), 'utf8')).trim());
      }
      expect(run.output()).toContain('host agent: running as host "local": three virtual printers');
      // The agent starts once the manager answers, so its first calls find it.
      expect(run.output().indexOf('Listening on')).toBeLessThan(run.output().indexOf('[farm] agent started'));

      // The walk-through of the README: set up the first admin, sign in, see the agent's
      // three virtual printers as detected, not yet adopted ports of the host `local`.
      const token = /Setup URL: \S+\?token=(\S+)/.exec(run.output())?.[1] ?? '';
      const browser = new Browser(`http://127.0.0.1:${managerPort}`);
      const password = 'plum orbit lantern 42 quietly';
      const setup = await browser.request('POST', '/api/setup', {
        token,
        username: 'alice',
        password,
        acknowledgements: { unattendedPrinting: true, networkExposure: true },
      });
      expect(setup.status).toBe(201);
      await browser.signIn('alice', password);
      const ports = await waitForPorts(browser, (listed) => listed.filter((p) => p.port.virtual).length >= 3);
      const virtual = ports.filter((p) => p.port.virtual);
      expect(virtual).toHaveLength(3);
      for (const listed of virtual) {
        expect(listed.hostName).toBe('local');
        expect(listed.port.match.kind).toBe('new');
        expect(listed.port.path.startsWith(dataDir)).toBe(true); // pty links under DATA_DIR/virtual-printers
      }

      // Adopt the Ender-like one, connect it and heat its bed, as the README shows.
      const ender = virtual.find((p) => p.port.serialNumber?.includes('ENDER'));
      expect(ender).toBeDefined();
      const adopted = await browser.request('POST', '/api/ports/adopt', {
        hostId: ender?.hostId,
        path: ender?.port.path,
        name: 'Ender one',
        preset: 'creality-ender-3',
      });
      expect(adopted.status).toBe(201);
      const printerId = (adopted.json as { printer: { id: string } }).printer.id;
      const liveStatus = async () =>
        ((await browser.request('GET', `/api/printers/${printerId}`)).json as { printer: { live: { status: string; heaters?: { heater: string; targetC: number }[] } } }).printer.live;
      for (let live = await liveStatus(); live.status !== 'idle'; live = await liveStatus()) await new Promise((resolve) => setTimeout(resolve, 500));
      const heat = await browser.request('POST', `/api/printers/${printerId}/control`, { kind: 'set-temperature', heater: 'B', targetC: 50 });
      expect(heat.status).toBe(200);
      const tooHot = await browser.request('POST', `/api/printers/${printerId}/control`, { kind: 'set-temperature', heater: 'T0', targetC: 400 });
      expect(tooHot.status).toBe(422);
      for (let live = await liveStatus(); live.heaters?.find((h) => h.heater === 'B')?.targetC !== 50; live = await liveStatus())
        await new Promise((resolve) => setTimeout(resolve, 500));

      const lines = await stopAndCheckNoOrphans(run);
      const order = ['agent', 'manager', 'redis', 'postgres'].map((name) => lines.indexOf(`[farm] stopping ${name}`));
      expect(order.every((i) => i >= 0)).toBe(true);
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    it('reuses the same data folder and host token on the next start instead of creating new ones', async () => {
      const hostToken = await fs.readFile(path.join(dataDir, 'local-host-token'), 'utf8');
      const run = await launch();
      await run.waitFor('[farm] agent started');
      expect(run.output()).toMatch(/postgres: embedded, listening on/);
      expect(run.output()).not.toContain('first start');
      expect(await fs.readFile(path.join(dataDir, 'local-host-token'), 'utf8')).toBe(hostToken);
      await stopAndCheckNoOrphans(run);
    });

    it("reports the manager's own exit code when it refuses its configuration, and starts no agent", async () => {
      const run = await launch(dataDir, { LOCAL_HOST_TOKEN: 'fh_not_a_host_token' });
      const code = await run.exited;
      running.delete(run);
      expect(code).toBe(2); // the manager's exit code for a bad configuration
      expect(run.output()).toContain('LOCAL_HOST_TOKEN');
      expect(run.output()).toContain('[farm] manager exited (code 2); stopping the rest');
      expect(run.output()).not.toContain('[farm] agent started');
      expect(run.output()).not.toContain('fh_not_a_host_token'); // values are never echoed
    });

    it('stops cleanly when asked to while the manager is still starting', async () => {
      const run = await launch();
      // Postgres and Redis are up once the launcher moves on to the apps; stopping
      // right then covers a Ctrl-C before the agent has started.
      await run.waitFor('[farm] manager started');
      const pid = run.child.pid ?? -1;
      const children = (await childPids(pid)).filter((child) => child.name !== 'esbuild').map((child) => child.pid);
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      running.delete(run);
      expect(children.filter(isAlive)).toEqual([]);
    });

    it.skipIf(process.getuid?.() !== 0)(
      'as root, keeps the cluster where the postgres user can reach it when DATA_DIR is under a closed folder',
      async () => {
        const run = await launch(closedDataDir);
        await run.waitFor('[farm] agent started');
        const { fallback } = clusterLocations(closedDataDir);
        expect(run.output()).toContain(`first start, creating the cluster in ${fallback.clusterDir}`);
        expect(existsSync(path.join(fallback.clusterDir, 'PG_VERSION'))).toBe(true);
        expect((await fs.stat(closedParent)).mode & 0o777).toBe(0o700); // nothing opened up
        await stopAndCheckNoOrphans(run);
      },
    );
  },
);
