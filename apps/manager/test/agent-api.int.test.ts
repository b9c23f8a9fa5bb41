// The host agent's API: host-token authentication and nothing else, the
// state an agent polls (gate, control key, its own printers only, camera
// allowlist), and port reports (stored with an expiry, events for ports that
// come and go, moved printers followed, other hosts' printers untouchable).
// Also the scrape-token path the guard offers routes flagged `metricsToken`.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyContextConfig } from 'fastify';
import type { Redis } from 'ioredis';
import {
  HOST_PORTS_TTL_SECONDS,
  PRINTER_PRESETS,
  controlKeyToHex,
  hostControlKey,
  liveKeys,
  type AgentState,
  type DetectedPort,
  type LiveEvent,
} from '@farm/contracts';
import { buildApp } from '../src/app.js';
import {
  ADMIN_PASSWORD,
  call,
  completeSetup,
  createKey,
  login,
  startHarness,
  TEST_HASH_COST,
  type Harness,
  type Session,
} from './support/harness.js';
import {
  agentState,
  bearer,
  createPrinter as createPrinterAs,
  detectedPort as port,
  insertHost,
  reportPorts,
  type HostRef,
} from './support/farm-fixtures.js';

const preset = PRINTER_PRESETS[0];
if (!preset) throw new Error('no printer preset');

/** Collects events published on the live channel while `action` runs. */
async function eventsDuring(h: Harness, action: () => Promise<unknown>, count: number): Promise<LiveEvent[]> {
  const sub: Redis = h.redis.duplicate();
  const events: LiveEvent[] = [];
  try {
    await sub.subscribe(liveKeys(h.config.redisPrefix).events);
    const done = new Promise<void>((resolve, reject) => {
      const guard = setTimeout(() => reject(new Error(`only ${events.length} of ${count} events`)), 10_000);
      sub.on('message', (_channel: string, text: string) => {
        events.push(JSON.parse(text) as LiveEvent);
        if (events.length >= count) {
          clearTimeout(guard);
          resolve();
        }
      });
    });
    await action();
    await done;
    return events;
  } finally {
    sub.disconnect();
  }
}

describe('agent API', () => {
  let h: Harness;
  let admin: Session;
  let hostA: HostRef;
  let hostB: HostRef;

  const state = (token: string) => agentState(h, token);
  const report = (token: string, ports: DetectedPort[]) => reportPorts(h, token, ports);
  const createPrinter = (name: string, identity: Record<string, unknown>) =>
    createPrinterAs(h, admin, name, identity, { profile: preset.profile });
  const devicePathOf = async (id: string) =>
    (await h.db.selectFrom('printers').select('device_path').where('id', '=', id).executeTakeFirstOrThrow())
      .device_path;

  beforeAll(async () => {
    h = await startHarness();
    hostA = await insertHost(h, 'host-a');
    hostB = await insertHost(h, 'host-b');
  });
  afterAll(() => h.close());

  it('tells the agent the gate is closed before setup and open after, with its control key', async () => {
    const before = await state(hostA.token);
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json<AgentState>()).toMatchObject({
      hostId: hostA.id,
      hostName: 'host-a',
      gateOpen: false,
      printers: [],
    });

    await completeSetup(h);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    const after = (await state(hostA.token)).json<AgentState>();
    expect(after.gateOpen).toBe(true);
    expect(after.controlKey).toBe(controlKeyToHex(hostControlKey(h.config.jobSigningSecret, hostA.id)));
    expect(after.controlKey).not.toBe((await state(hostB.token)).json<AgentState>().controlKey);
  });

  it('lists only the not retired printers of the asking host, and the camera allowlist', async () => {
    const mine = await createPrinter('a-one', {
      hostId: hostA.id,
      vendorId: '2C99',
      productId: '0002',
      usbSerial: 'CZPX1',
    });
    const retired = await createPrinter('a-retired', { hostId: hostA.id });
    await call(h, admin, { method: 'POST', url: `/api/printers/${retired}/retire` });
    const theirs = await createPrinter('b-one', { hostId: hostB.id, devicePath: '/dev/ttyACM0' });
    await h.db
      .insertInto('settings')
      .values({ key: 'camera.allowedSubnets', value: JSON.stringify(['10.20.0.0/16']) })
      .execute();

    const a = (await state(hostA.token)).json<AgentState>();
    expect(a.printers.map((p) => p.id)).toEqual([mine]);
    expect(a.printers[0]).toMatchObject({
      name: 'a-one',
      enabled: true,
      identity: { vendorId: '2c99', productId: '0002', usbSerial: 'CZPX1' },
      profile: preset.profile,
    });
    expect(a.cameraAllowedSubnets).toEqual(['10.20.0.0/16']);
    expect((await state(hostB.token)).json<AgentState>().printers.map((p) => p.id)).toEqual([theirs]);
  });

  it('takes a host token only: no cookie, no API key, nothing malformed; and the token opens nothing else', async () => {
    const { key } = await createKey(h, admin, { name: 'mon', preset: 'monitor' });
    const asAdmin = await call(h, admin, { method: 'GET', url: '/api/agent/state' });
    expect(asAdmin.statusCode).toBe(401);
    expect((await call(h, { apiKey: key }, { method: 'GET', url: '/api/agent/state' })).statusCode).toBe(401);
    const withCookieToo = await h.app.inject({
      method: 'GET',
      url: '/api/agent/state',
      headers: { ...bearer(hostA.token), cookie: admin.cookie },
    });
    expect(withCookieToo.statusCode).toBe(401);
    const withKeyToo = await h.app.inject({
      method: 'GET',
      url: '/api/agent/state',
      headers: { ...bearer(hostA.token), 'x-api-key': key },
    });
    expect(withKeyToo.statusCode).toBe(401);
    for (const text of [`${hostA.token}x`, hostA.token.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')), 'fh_', '']) {
      const res = await h.app.inject({ method: 'GET', url: '/api/agent/state', headers: bearer(text) });
      expect(res.statusCode, text).toBe(401);
    }
    for (const url of ['/api/printers', '/api/hosts', '/api/ports', '/api/auth/session']) {
      const res = await h.app.inject({ method: 'GET', url, headers: bearer(hostA.token) });
      expect(res.statusCode, url).toBe(401);
    }
  });

  it('stores a ports report with an expiry and publishes ports that appear and disappear', async () => {
    const key = liveKeys(h.config.redisPrefix).hostPorts(hostA.id);
    const first = await eventsDuring(
      h,
      async () =>
        expect((await report(hostA.token, [port('/dev/ttyUSB0'), port('/dev/ttyUSB1')])).statusCode).toBe(204),
      2,
    );
    expect(first.map((e) => (e.type === 'port.detected' ? e.port.path : e.type)).sort()).toEqual([
      '/dev/ttyUSB0',
      '/dev/ttyUSB1',
    ]);
    const ttl = await h.redis.ttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HOST_PORTS_TTL_SECONDS);
    const stored = JSON.parse((await h.redis.get(key)) ?? 'null') as { hostId: string; ports: DetectedPort[] };
    expect(stored.hostId).toBe(hostA.id);
    expect(stored.ports.map((p) => p.path)).toEqual(['/dev/ttyUSB0', '/dev/ttyUSB1']);

    const second = await eventsDuring(h, () => report(hostA.token, [port('/dev/ttyUSB1'), port('/dev/ttyUSB2')]), 2);
    expect(second).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          type: 'port.detected',
          hostId: hostA.id,
          port: expect.objectContaining({ path: '/dev/ttyUSB2' }),
        }),
        expect.objectContaining({ type: 'port.lost', hostId: hostA.id, path: '/dev/ttyUSB0' }),
      ]),
    );
    expect(second).toHaveLength(2);
  });

  it('follows a printer of this host to its new device path, audited with the host as actor', async () => {
    const id = await createPrinter('a-moving', { hostId: hostA.id, devicePath: '/dev/ttyACM0', usbSerial: 'MOVE1' });
    const res = await report(hostA.token, [
      port('/dev/ttyACM3', { kind: 'moved', printerId: id, previousPath: '/dev/ttyACM0' }, { serialNumber: 'MOVE1' }),
    ]);
    expect(res.statusCode, res.body).toBe(204);
    expect(await devicePathOf(id)).toBe('/dev/ttyACM3');
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'actor_name'])
      .where('target', '=', id)
      .where('action', '=', 'printers.devicePathMoved')
      .execute();
    expect(audit).toEqual([{ action: 'printers.devicePathMoved', actor_kind: 'system', actor_name: 'host:host-a' }]);
    // The same report again changes nothing and writes no second row.
    await report(hostA.token, [port('/dev/ttyACM3', { kind: 'moved', printerId: id, previousPath: '/dev/ttyACM0' })]);
    const again = await h.db
      .selectFrom('audit_log')
      .select('id')
      .where('target', '=', id)
      .where('action', '=', 'printers.devicePathMoved')
      .execute();
    expect(again).toHaveLength(1);
  });

  it('refuses a report that names another host’s printer, and touches nothing', async () => {
    const theirs = await createPrinter('b-victim', { hostId: hostB.id, devicePath: '/dev/ttyACM0' });
    const key = liveKeys(h.config.redisPrefix).hostPorts(hostA.id);
    const before = await h.redis.get(key);
    const matches: DetectedPort['match'][] = [
      { kind: 'moved', printerId: theirs, previousPath: '/dev/ttyACM0' },
      { kind: 'known', printerId: theirs },
      { kind: 'ambiguous', candidates: [theirs], reason: 'no-unique-serial' },
    ];
    for (const match of matches) {
      const res = await report(hostA.token, [port('/dev/ttyACM9', match)]);
      expect(res.statusCode, match.kind).toBe(403);
    }
    expect(await devicePathOf(theirs)).toBe('/dev/ttyACM0');
    expect(await h.redis.get(key)).toBe(before);
  });

  it('refuses reports that do not match the contract', async () => {
    for (const payload of [{}, { ports: [{ path: '/dev/x' }] }, { ports: [], extra: 1 }]) {
      const res = await h.app.inject({ method: 'PUT', url: '/api/agent/ports', headers: bearer(hostA.token), payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });
});

describe('metrics scrape token in the guard', () => {
  const metricsToken = randomBytes(32).toString('base64url');
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      env: { METRICS_TOKEN: metricsToken },
      extraRoutes: (app) => {
        app.get(
          '/api/test/scrape',
          { config: { requires: ['audit.read'], metricsToken: true }, schema: { operationId: 'test.scrape' } },
          async (request) => ({ kind: request.principal?.kind ?? null }),
        );
        app.get('/api/test/plain', { config: { requires: [] }, schema: { operationId: 'test.plain' } }, async () => ({
          ok: true,
        }));
      },
    });
    await completeSetup(h);
  });
  afterAll(() => h.close());

  const get = (url: string, token: string) => h.app.inject({ method: 'GET', url, headers: bearer(token) });

  it('admits the scrape token as a permission-less scraper on flagged routes only', async () => {
    const ok = await get('/api/test/scrape', metricsToken);
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ kind: 'scraper' });
    expect((await get('/api/test/scrape', `${metricsToken}x`)).statusCode).toBe(401);
    expect((await get('/api/test/plain', metricsToken)).statusCode).toBe(401);
    expect((await get('/api/printers', metricsToken)).statusCode).toBe(401);
  });

  it('still lets an admin session through a flagged route', async () => {
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    const res = await call(h, admin, { method: 'GET', url: '/api/test/scrape' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ kind: 'user' });
  });

  it('refuses routes that declare more than one access kind, or the scrape flag without permissions', async () => {
    const configs: FastifyContextConfig[] = [
      { requires: [], agent: true },
      { public: true, agent: true },
      { agent: true, metricsToken: true },
      { public: true, metricsToken: true },
    ];
    for (const config of configs) {
      const app = await buildApp({ config: h.config, db: h.db, redis: h.redis, hashCost: TEST_HASH_COST });
      try {
        await expect(
          (async () => {
            app.get('/api/test/bad', { config, schema: { operationId: 'test.bad' } }, async () => 'open');
            await app.ready();
          })(),
        ).rejects.toThrow(/Route declaration/);
      } finally {
        await app.close().catch(() => undefined);
      }
    }
  });
});
