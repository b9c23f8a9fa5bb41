// GET /metrics against worker- and agent-shaped documents in a real Redis and
// printers and hosts in a real Postgres: exact samples, who may scrape, and
// label values that cannot break the exposition format.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostStatus, LiveKeys, PrinterLiveState } from '@farm/contracts';
import { call, createKey, type Harness, type Session } from './support/harness.js';
import {
  addCrew,
  insertHost,
  insertPrinter,
  liveState,
  startFarm,
  writeHeartbeat,
  writeLiveState,
} from './support/farm-fixtures.js';

const METRICS_TOKEN = randomBytes(32).toString('base64url');

/** Parses the text format into `name{sorted labels}` → value, so label order does not matter. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const [, name = '', labelText = '', value = ''] = match;
    const labels = [...labelText.matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map(([, k = '', v = '']) => [k, v] as const);
    out.set(keyOf(name, Object.fromEntries(labels)), Number(value));
  }
  return out;
}

function keyOf(name: string, labels: Record<string, string> = {}): string {
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${labels[k]}"`);
  return `${name}{${sorted.join(',')}}`;
}

describe('GET /metrics', () => {
  let h: Harness;
  let keys: LiveKeys;
  let admin: Session;
  let operator: Session;
  let viewer: Session;
  const printer: Record<'printing' | 'idle' | 'gone' | 'fresh' | 'elsewhere', { id: string; name: string }> = {} as never;
  let hostUp: string;
  let hostDown: string;

  const at = 1_800_000_000_000;
  const named = async (name: string, hostId: string | null) => ({ id: await insertPrinter(h, name, { hostId }), name });
  const state = (printerId: string, hostId: string, fields: Partial<PrinterLiveState>) =>
    liveState(printerId, { hostId, updatedAt: at, ...fields });

  async function workerReports(printerId: string, hostId: string, live: PrinterLiveState | string, heartbeat = true) {
    await writeLiveState(h, printerId, live);
    if (heartbeat) await writeHeartbeat(h, printerId, { hostId, at });
  }

  const scrape = (headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url: '/metrics', headers });

  beforeAll(async () => {
    ({ h, keys, admin } = await startFarm({ env: { METRICS_TOKEN } }));
    ({ operator, viewer } = await addCrew(h, admin));

    hostUp = (await insertHost(h, 'rack-a')).id;
    hostDown = (await insertHost(h, 'rack-b')).id;
    const hostRevoked = (await insertHost(h, 'old-pi', { revoked: true })).id;
    printer.printing = await named('MK3S bench 1', hostUp);
    printer.idle = await named('Ender 3 (left)', hostUp);
    printer.gone = await named('Voron', hostDown);
    printer.fresh = await named('Fresh worker', hostUp);
    printer.elsewhere = await named('Not yet adopted', null);

    await workerReports(
      printer.printing.id,
      hostUp,
      state(printer.printing.id, hostUp, {
        status: 'printing',
        heaters: [
          { heater: 'T0', actualC: 214.5, targetC: 215 },
          { heater: 'B', actualC: 59.8, targetC: 60, power: 0.4 },
        ],
        stats: { linesSent: 123456, resends: 17, lineErrors: 3, timeouts: 2, connects: 1, linesPerSecond: 48.5 },
      }),
    );
    await workerReports(
      printer.idle.id,
      hostUp,
      state(printer.idle.id, hostUp, {
        status: 'idle',
        heaters: [{ heater: 'T0', actualC: 24, targetC: 0 }],
        stats: { linesSent: 0, resends: 0, lineErrors: 0, timeouts: 0, connects: 4, linesPerSecond: 0 },
      }),
    );
    // The Voron's worker died: its last state document is still there, its heartbeat is not.
    await workerReports(
      printer.gone.id,
      hostDown,
      state(printer.gone.id, hostDown, { status: 'printing', heaters: [{ heater: 'T0', actualC: 240, targetC: 240 }] }),
      false,
    );
    // A worker that beats but wrote a state document the contract does not allow.
    await workerReports(printer.fresh.id, hostUp, JSON.stringify({ printerId: printer.fresh.id, status: 'on-fire', heaters: 'hot' }));

    const upStatus: HostStatus = {
      hostId: hostUp,
      at,
      workers: [
        { printerId: printer.printing.id, state: 'running', pid: 4242, restarts: 3 },
        { printerId: printer.idle.id, state: 'backoff', restarts: 0 },
        // A printer id Postgres does not know must not become a series.
        { printerId: 'not-a-printer-of-ours', state: 'running', restarts: 99 },
      ],
    };
    await h.redis.set(keys.hostStatus(hostUp), JSON.stringify(upStatus), 'EX', 60);
    // A revoked host still reporting counts for nothing.
    await h.redis.set(keys.hostStatus(hostRevoked), JSON.stringify({ ...upStatus, hostId: hostRevoked }), 'EX', 60);
  });
  afterAll(() => h.close());

  it('reports printers by status, every status present even at 0', async () => {
    const res = await call(h, admin, { method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const s = samples(res.body);
    expect(res.body).toContain('# TYPE farm_printers gauge');
    const lines = res.body.split('\n');
    expect(lines).toContain('farm_printers{status="printing"} 1');
    expect(lines).toContain('farm_printers{status="halted"} 0');
    expect(s.get(keyOf('farm_printers', { status: 'printing' }))).toBe(1);
    expect(s.get(keyOf('farm_printers', { status: 'idle' }))).toBe(1);
    // The Voron (no heartbeat) and the unadopted printer (no worker at all).
    expect(s.get(keyOf('farm_printers', { status: 'offline' }))).toBe(2);
    // The worker with an unreadable state document runs, with nothing known about its port.
    expect(s.get(keyOf('farm_printers', { status: 'disconnected' }))).toBe(1);
    for (const status of ['connecting', 'paused', 'cancelling', 'error', 'halted'])
      expect(s.get(keyOf('farm_printers', { status }))).toBe(0);
  });

  it('reports heater temperatures and targets of live printers only', async () => {
    const s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    const p = { printer_id: printer.printing.id, printer_name: 'MK3S bench 1' };
    expect(s.get(keyOf('farm_printer_temperature_celsius', { ...p, heater: 'T0' }))).toBe(214.5);
    expect(s.get(keyOf('farm_printer_target_temperature_celsius', { ...p, heater: 'T0' }))).toBe(215);
    expect(s.get(keyOf('farm_printer_temperature_celsius', { ...p, heater: 'B' }))).toBe(59.8);
    expect(s.get(keyOf('farm_printer_target_temperature_celsius', { ...p, heater: 'B' }))).toBe(60);
    const idle = { printer_id: printer.idle.id, printer_name: 'Ender 3 (left)', heater: 'T0' };
    expect(s.get(keyOf('farm_printer_target_temperature_celsius', idle))).toBe(0);
    // A dead worker's last temperatures would mislead.
    expect([...s.keys()].some((k) => k.includes(printer.gone.id))).toBe(false);
  });

  it('reports lines per second and the workers’ link counters', async () => {
    const res = await call(h, admin, { method: 'GET', url: '/metrics' });
    const s = samples(res.body);
    const p = { printer_id: printer.printing.id, printer_name: 'MK3S bench 1' };
    expect(s.get(keyOf('farm_printer_lines_per_second', p))).toBe(48.5);
    expect(s.get(keyOf('farm_printer_lines_sent_total', p))).toBe(123456);
    expect(s.get(keyOf('farm_printer_resends_total', p))).toBe(17);
    expect(s.get(keyOf('farm_printer_line_errors_total', p))).toBe(3);
    expect(s.get(keyOf('farm_printer_timeouts_total', p))).toBe(2);
    expect(s.get(keyOf('farm_printer_connects_total', p))).toBe(1);
    expect(s.get(keyOf('farm_printer_connects_total', { printer_id: printer.idle.id, printer_name: 'Ender 3 (left)' }))).toBe(4);
    expect(res.body).toContain('# TYPE farm_printer_resends_total counter');
  });

  it('reports worker restarts from the host status and hosts online', async () => {
    const s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    expect(s.get(keyOf('farm_printer_worker_restarts_total', { printer_id: printer.printing.id, printer_name: 'MK3S bench 1' }))).toBe(3);
    expect(s.get(keyOf('farm_printer_worker_restarts_total', { printer_id: printer.idle.id, printer_name: 'Ender 3 (left)' }))).toBe(0);
    // Its host runs, but no worker for it yet.
    expect(s.get(keyOf('farm_printer_worker_restarts_total', { printer_id: printer.fresh.id, printer_name: 'Fresh worker' }))).toBe(0);
    // Silent host: unknown, so no sample rather than a made-up 0.
    expect(s.has(keyOf('farm_printer_worker_restarts_total', { printer_id: printer.gone.id, printer_name: 'Voron' }))).toBe(false);
    expect([...s.keys()].some((k) => k.includes('not-a-printer-of-ours'))).toBe(false);
    expect(s.get(keyOf('farm_hosts'))).toBe(2);
    expect(s.get(keyOf('farm_hosts_online'))).toBe(1);
  });

  it('includes the manager’s process metrics', async () => {
    const s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    expect(s.get(keyOf('process_cpu_user_seconds_total'))).toBeGreaterThan(0);
    expect(s.get(keyOf('nodejs_heap_size_used_bytes'))).toBeGreaterThan(0);
  });

  it('follows the farm: a retired printer drops out, a host that goes quiet goes offline', async () => {
    const extra = await named('Short-lived', hostUp);
    await workerReports(extra.id, hostUp, state(extra.id, hostUp, { status: 'paused', heaters: [{ heater: 'T0', actualC: 200, targetC: 200 }] }));
    let s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    expect(s.get(keyOf('farm_printers', { status: 'paused' }))).toBe(1);
    await h.db.updateTable('printers').set({ retired_at: new Date() }).where('id', '=', extra.id).execute();
    await h.redis.set(keys.hostPorts(hostDown), JSON.stringify({ hostId: hostDown, at: 1, ports: [] }), 'EX', 60);
    s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    expect(s.get(keyOf('farm_printers', { status: 'paused' }))).toBe(0);
    expect([...s.keys()].some((k) => k.includes(extra.id))).toBe(false);
    expect(s.get(keyOf('farm_hosts_online'))).toBe(2);
    await h.redis.del(keys.hostPorts(hostDown));
    s = samples((await call(h, admin, { method: 'GET', url: '/metrics' })).body);
    expect(s.get(keyOf('farm_hosts_online'))).toBe(1);
  });

  it('escapes a hostile printer name so it cannot forge samples', async () => {
    // Written straight to Postgres: the API's name pattern would refuse it.
    const evil = await named('x"} 1\nfarm_hosts_online 99\n#', hostUp);
    await workerReports(evil.id, hostUp, state(evil.id, hostUp, { status: 'idle', heaters: [{ heater: 'B', actualC: 21, targetC: 0 }] }));
    const res = await call(h, admin, { method: 'GET', url: '/metrics' });
    expect(res.body.split('\n')).not.toContain('farm_hosts_online 99');
    const s = samples(res.body);
    expect(s.get(keyOf('farm_hosts_online'))).toBe(1);
    expect(s.get(keyOf('farm_printer_temperature_celsius', { printer_id: evil.id, printer_name: 'x\\"} 1\\nfarm_hosts_online 99\\n#', heater: 'B' }))).toBe(21);
    await h.db.updateTable('printers').set({ retired_at: new Date() }).where('id', '=', evil.id).execute();
  });

  it('answers only admins and the scrape token', async () => {
    expect((await scrape()).statusCode).toBe(401);
    expect((await call(h, viewer, { method: 'GET', url: '/metrics' })).statusCode).toBe(403);
    expect((await call(h, operator, { method: 'GET', url: '/metrics' })).statusCode).toBe(403);
    const { key } = await createKey(h, operator, { name: 'dash', preset: 'monitor' });
    expect((await call(h, { apiKey: key }, { method: 'GET', url: '/metrics' })).statusCode).toBe(403);

    const token = await scrape({ authorization: `Bearer ${METRICS_TOKEN}` });
    expect(token.statusCode).toBe(200);
    expect(samples(token.body).get(keyOf('farm_printers', { status: 'printing' }))).toBe(1);
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN}x` })).statusCode).toBe(401);
    expect((await scrape({ authorization: `Bearer ${METRICS_TOKEN.slice(0, -1)}` })).statusCode).toBe(401);
    expect((await scrape({ authorization: `Basic ${Buffer.from(`x:${METRICS_TOKEN}`).toString('base64')}` })).statusCode).toBe(401);
  });

  it('gives the scrape token nothing beyond /metrics', async () => {
    const authorization = `Bearer ${METRICS_TOKEN}`;
    for (const url of ['/api/audit', '/api/printers', `/api/printers/${printer.printing.id}/snapshot`, '/api/settings/camera-network']) {
      expect((await h.app.inject({ method: 'GET', url, headers: { authorization } })).statusCode).toBe(401);
    }
  });
});

describe('GET /metrics without a configured token', () => {
  let h: Harness;
  let admin: Session;
  beforeAll(async () => {
    ({ h, admin } = await startFarm());
  });
  afterAll(() => h.close());

  it('refuses any bearer token and still serves admins', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer undefined' } });
    expect(res.statusCode).toBe(401);
    const ok = await call(h, admin, { method: 'GET', url: '/metrics' });
    expect(ok.statusCode).toBe(200);
    expect(samples(ok.body).get(keyOf('farm_printers', { status: 'offline' }))).toBe(0);
  });
});
