// The dashboards' WebSocket feed over a real socket: ticket and Origin checks,
// snapshot then changes, group and permission filtering, temperature
// throttling, the serial log and camera subscriptions, session end and the
// offline sweep. Worker events are published straight to Redis in the
// contract's shapes (the Redis side of the worker contract).
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { LiveEvent, LiveKeys, PrinterLiveState } from '@farm/contracts';
import { hashTicket } from '../src/live-feed/tickets.js';
import { ORIGIN, USER_PASSWORD, call, createKey, login, type Harness, type Session } from './support/harness.js';
import { about, events, Feed, GUARD_MS, type Message } from './support/live-feed-client.js';
import {
  addGroup,
  addUser,
  defaultGroupId,
  insertPrinter,
  liveState,
  startFarm,
  stepUp,
  writeHeartbeat,
  writeLiveState,
} from './support/farm-fixtures.js';

describe('live feed WebSocket', () => {
  let h: Harness;
  let keys: LiveKeys;
  let url: string;
  let admin: Session;
  let viewerA: Session;
  let viewerB: Session;
  let operatorA: Session;
  let printerA: string;
  let printerA2: string;
  let printerB: string;
  const feeds: Feed[] = [];

  async function ticketFor(session: Session): Promise<string> {
    const res = await call(h, session, { method: 'POST', url: '/api/live/ticket' });
    expect(res.statusCode).toBe(200);
    const body = res.json<{ ticket: string; expiresAt: string }>();
    expect(Date.parse(body.expiresAt)).toBeGreaterThan(h.clock.t);
    return body.ticket;
  }

  /** Opens a socket; resolves with the feed, or the HTTP status the upgrade was refused with. */
  function connect(options: { ticket?: string; cookie?: string; origin?: string; headers?: Record<string, string> }) {
    const query = options.ticket === undefined ? '' : `?ticket=${encodeURIComponent(options.ticket)}`;
    const ws = new WebSocket(`${url}/api/live${query}`, {
      origin: options.origin ?? ORIGIN,
      headers: { ...(options.cookie ? { cookie: options.cookie } : {}), ...options.headers },
    });
    return new Promise<Feed | number>((resolve, reject) => {
      const feed = new Feed(ws);
      ws.once('open', () => {
        feeds.push(feed);
        resolve(feed);
      });
      ws.once('unexpected-response', (req, res) => {
        res.resume();
        req.destroy();
        resolve(res.statusCode ?? 0);
      });
      ws.once('error', reject);
    });
  }

  async function open(session: Session): Promise<Feed> {
    const result = await connect({ ticket: await ticketFor(session), cookie: session.cookie });
    if (typeof result === 'number') throw new Error(`upgrade refused with ${result}`);
    return result;
  }

  const publish = (event: LiveEvent) => h.redis.publish(keys.events, JSON.stringify(event));
  const state = (printerId: string, overrides: Partial<PrinterLiveState> = {}) =>
    liveState(printerId, { heaters: [{ heater: 'T0', actualC: 21, targetC: 0 }], ...overrides });
  const heartbeat = (printerId: string) => writeHeartbeat(h, printerId);
  const temperature = (printerId: string, actualC: number): LiveEvent => ({
    type: 'printer.temperature',
    at: 2_000,
    sample: { printerId, at: 2_000, heaters: [{ heater: 'T0', actualC, targetC: 210 }] },
  });
  /** A state change used as a marker: anything published before it on the channel arrives before it. */
  const marker = async (printerId: string, n: number) => {
    await publish({ type: 'printer.state', at: 3_000, state: state(printerId, { updatedAt: n }) });
    return (m: Message) => m.type === 'printer.state' && (m.state as PrinterLiveState).updatedAt === n;
  };

  beforeAll(async () => {
    ({ h, keys, admin } = await startFarm());
    const groupA = await defaultGroupId(h);
    const groupB = await addGroup(h, 'Lab B');
    printerA = await insertPrinter(h, 'A one', { groupId: groupA });
    printerA2 = await insertPrinter(h, 'A two', { groupId: groupA });
    printerB = await insertPrinter(h, 'B one', { groupId: groupB });
    viewerA = await addUser(h, admin, 'viewa', 'viewer', [groupA]);
    viewerB = await addUser(h, admin, 'viewb', 'viewer', [groupB]);
    operatorA = await addUser(h, admin, 'floorlead', 'operator', [groupA]);
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    url = `ws://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const feed of feeds) feed.close();
    await h.close();
  });

  it('sends a snapshot of the printers the user may see, then only changes', async () => {
    await writeLiveState(h, printerA, state(printerA, { status: 'printing', updatedAt: 500 }));
    await heartbeat(printerA);
    const feed = await open(viewerA);
    const snapshot = await feed.next((m) => m.type === 'snapshot', 'snapshot');
    const printers = snapshot.printers as Array<{ id: string; name: string; live: { status: string; online: boolean; heaters: unknown[] } }>;
    expect(printers.map((p) => p.id).sort()).toEqual([printerA, printerA2].sort());
    const a = printers.find((p) => p.id === printerA);
    expect(a?.live).toMatchObject({ status: 'printing', online: true, updatedAt: 500, heaters: [{ heater: 'T0', actualC: 21, targetC: 0 }] });
    expect(printers.find((p) => p.id === printerA2)?.live).toMatchObject({ status: 'offline', online: false });

    await publish({ type: 'printer.state', at: 3_000, state: state(printerA, { status: 'paused', updatedAt: 600 }) });
    const change = await feed.next((m) => m.type === 'printer.state', 'state change');
    expect(change).toEqual({ type: 'printer.state', at: 3_000, state: state(printerA, { status: 'paused', updatedAt: 600 }) });
    expect(feed.messages.filter((m) => m.type === 'snapshot')).toHaveLength(1);
    await h.redis.del(keys.heartbeat(printerA), keys.printerState(printerA));
  });

  it('refuses a handshake from another Origin with 403', async () => {
    const ticket = await ticketFor(viewerA);
    expect(await connect({ ticket, cookie: viewerA.cookie, origin: 'http://evil.example' })).toBe(403);
    expect(await connect({ ticket, cookie: viewerA.cookie, origin: 'null' })).toBe(403);
  });

  it('refuses missing, reused, expired, malformed and other-session tickets', async () => {
    expect(await connect({ cookie: viewerA.cookie })).toBe(401);
    expect(await connect({ ticket: 'not-a-ticket', cookie: viewerA.cookie })).toBe(401);

    const ticket = await ticketFor(viewerA);
    expect(await connect({ ticket, cookie: viewerA.cookie })).toBeInstanceOf(Feed);
    expect(await connect({ ticket, cookie: viewerA.cookie })).toBe(401);

    // Expiry is Redis's: shorten this ticket's life to a millisecond and let it lapse.
    const expiring = await ticketFor(viewerA);
    await h.redis.pexpire(keys.liveTicket(hashTicket(expiring)), 1);
    while ((await h.redis.exists(keys.liveTicket(hashTicket(expiring)))) === 1) await new Promise((r) => setTimeout(r, 5));
    expect(await connect({ ticket: expiring, cookie: viewerA.cookie })).toBe(401);

    // The same user signed in twice: a ticket from one session does not open the other.
    const otherSession = await login(h, 'viewa', USER_PASSWORD);
    expect(await connect({ ticket: await ticketFor(viewerA), cookie: otherSession.cookie })).toBe(401);
    // Someone else's ticket with your cookie, and a ticket with no cookie at all.
    expect(await connect({ ticket: await ticketFor(viewerB), cookie: viewerA.cookie })).toBe(401);
    expect(await connect({ ticket: await ticketFor(viewerA) })).toBe(401);
  });

  it('gives tickets to sessions only, and answers a plain request with 400', async () => {
    const { key } = await createKey(h, admin, { name: 'monitor', preset: 'monitor' });
    const byKey = await call(h, { apiKey: key }, { method: 'POST', url: '/api/live/ticket' });
    expect(byKey.statusCode).toBe(403);
    const anonymous = await call(h, null, { method: 'POST', url: '/api/live/ticket', headers: { origin: ORIGIN } });
    expect(anonymous.statusCode).toBe(401);
    const plain = await call(h, viewerA, { method: 'GET', url: '/api/live' });
    expect(plain.statusCode).toBe(400);
    expect(plain.json()).toMatchObject({ error: 'bad_request', message: 'websocket required' });
  });

  it('relays a group only to its viewers, and port events only to printer managers', async () => {
    const [a, b, adminFeed] = await Promise.all([open(viewerA), open(viewerB), open(admin)]);
    for (const feed of [a, b, adminFeed]) await feed.next((m) => m.type === 'snapshot');

    const secretsOfB: LiveEvent[] = [
      { type: 'printer.state', at: 1, state: state(printerB, { status: 'printing' }) },
      temperature(printerB, 199),
      { type: 'printer.alarm', at: 1, printerId: printerB, reason: 'thermal-runaway', heater: 'T0', actualC: 290, limitC: 280 },
      { type: 'printer.snapshot', at: 1, meta: { printerId: printerB, at: 1, mime: 'image/jpeg', bytes: 1234 } },
      { type: 'printer.offline', at: 1, printerId: printerB },
      { type: 'port.detected', at: 1, hostId: 'host-1', port: { path: '/dev/ttyUSB9', byId: [], byPath: [], virtual: false, match: { kind: 'new' } } },
    ];
    for (const event of secretsOfB) await publish(event);
    const doneA = await marker(printerA, 7001);
    const doneB = await marker(printerB, 7101);

    await a.next(doneA, 'marker on A');
    expect(events(a).filter(about(printerB))).toEqual([]);
    expect(events(a).filter((m) => m.type === 'port.detected')).toEqual([]);

    // B's own marker comes after A's on the channel: had A's reached B, it would be there by now.
    await b.next(doneB, 'marker on B');
    expect(events(b).filter(about(printerB)).map((m) => m.type)).toEqual([
      'printer.state',
      'printer.temperature',
      'printer.alarm',
      'printer.snapshot',
      'printer.offline',
      'printer.state',
    ]);
    expect(events(b).filter(about(printerA))).toEqual([]);
    expect(events(b).filter((m) => m.type === 'port.detected')).toEqual([]);

    await adminFeed.next(doneB, 'marker on admin');
    expect(events(adminFeed).map((m) => m.type)).toContain('port.detected');
  });

  it('ignores events for unknown printers and events that break the contract', async () => {
    const feed = await open(admin);
    await feed.next((m) => m.type === 'snapshot');
    await h.redis.publish(keys.events, JSON.stringify({ type: 'printer.offline', at: 1, printerId: printerA, html: '<script>' }));
    await h.redis.publish(keys.events, '{"type":"printer.offline"');
    await publish({ type: 'printer.offline', at: 1, printerId: 'no-such-printer' });
    const done = await marker(printerA, 7002);
    await feed.next(done);
    expect(feed.messages.filter((m) => m.type === 'printer.offline')).toEqual([]);
  });

  it('throttles temperatures per printer and ends on the latest sample', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    for (let c = 200; c < 210; c++) await publish(temperature(printerA, c));
    await publish(temperature(printerA2, 50));
    const actual = (m: Message) => (m.sample as { heaters: Array<{ actualC: number }> }).heaters[0]?.actualC;
    await feed.next((m) => m.type === 'printer.temperature' && actual(m) === 209, 'latest sample');
    const received = feed.messages.filter((m) => m.type === 'printer.temperature' && about(printerA)(m)).map(actual);
    expect(received[0]).toBe(200);
    expect(received.length).toBeLessThan(10);
    // Another printer has its own allowance.
    expect(feed.messages.some((m) => m.type === 'printer.temperature' && actual(m) === 50)).toBe(true);
  });

  it('lets a client ask for slower temperature updates, never faster', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    feed.send({ type: 'temperature.interval', intervalMs: 100 });
    expect(await feed.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_message' });
    feed.send({ type: 'temperature.interval', intervalMs: 60_000 });
    await feed.next((m) => m.type === 'ack');
    for (let c = 100; c < 105; c++) await publish(temperature(printerA, c));
    await feed.next(await marker(printerA, 7003));
    expect(feed.messages.filter((m) => m.type === 'printer.temperature')).toHaveLength(1);
  });

  it('streams the serial log only to terminal.read holders in the printer group, while they listen', async () => {
    const channel = keys.printerLog(printerA);
    const numsub = async () => Number((await h.redis.pubsub('NUMSUB', channel))[1]);
    const viewer = await open(viewerA);
    await viewer.next((m) => m.type === 'snapshot');
    viewer.send({ type: 'log.subscribe', printerId: printerA });
    expect(await viewer.next((m) => m.type === 'error')).toMatchObject({ code: 'forbidden' });
    expect(await numsub()).toBe(0);

    const operator = await open(operatorA);
    await operator.next((m) => m.type === 'snapshot');
    operator.send({ type: 'log.subscribe', printerId: printerB });
    expect(await operator.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    operator.send({ type: 'log.subscribe', printerId: printerA });
    await operator.next((m) => m.type === 'ack');
    expect(await numsub()).toBe(1);

    const line: LiveEvent = { type: 'printer.log', at: 5, printerId: printerA, direction: 'received', line: 'echo:<b>M118</b> hi' };
    await h.redis.publish(channel, JSON.stringify(line));
    // A log event for another printer pushed onto this channel is not relayed.
    await h.redis.publish(channel, JSON.stringify({ ...line, printerId: printerA2 }));
    expect(await operator.next((m) => m.type === 'printer.log')).toEqual(line);

    operator.send({ type: 'log.unsubscribe', printerId: printerA });
    await operator.next((m) => m.type === 'ack');
    expect(await numsub()).toBe(0);
    await h.redis.publish(channel, JSON.stringify({ ...line, line: 'after' }));
    await operator.next(await marker(printerA, 7004));
    expect(operator.messages.filter((m) => m.type === 'printer.log')).toHaveLength(1);
    expect(viewer.messages.filter((m) => m.type === 'printer.log')).toEqual([]);

    // Closing a listening socket releases the channel too.
    operator.send({ type: 'log.subscribe', printerId: printerA });
    await operator.next((m) => m.type === 'ack');
    operator.close();
    await operator.closed;
    await expect.poll(numsub, { timeout: GUARD_MS }).toBe(0);
  });

  it('marks a watched camera for the worker, inside the group only', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    feed.send({ type: 'camera.watch', printerId: printerB });
    expect(await feed.next((m) => m.type === 'error')).toMatchObject({ code: 'not_found' });
    expect(await h.redis.exists(keys.snapshotWatchers(printerB))).toBe(0);
    feed.send({ type: 'camera.watch', printerId: printerA });
    await feed.next((m) => m.type === 'ack');
    expect(await h.redis.get(keys.snapshotWatchers(printerA))).toBe('1');
    const ttl = await h.redis.ttl(keys.snapshotWatchers(printerA));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('answers malformed and hostile messages with an error and stays up', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    const hostile = [
      'not json',
      '{"type":"log.subscribe","printerId":"x","__proto__":{"admin":true}}',
      JSON.stringify({ type: 'log.subscribe', printerId: 'a:b*' }),
      JSON.stringify({ type: 'emergency-stop' }),
      JSON.stringify([1, 2, 3]),
      'null',
    ];
    for (const text of hostile) {
      feed.send(text);
      expect(await feed.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_message' });
    }
    feed.ws.send(Buffer.from([0, 1, 2]), { binary: true });
    expect(await feed.next((m) => m.type === 'error')).toMatchObject({ code: 'bad_message' });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    feed.send({ type: 'camera.unwatch', printerId: printerA });
    await feed.next((m) => m.type === 'ack');
  });

  it('closes a socket that sends an oversized message', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    feed.send('x'.repeat(64 * 1024));
    expect((await feed.closed).code).toBe(1009);
  });

  it('drops a client that stops reading, without holding up the others', async () => {
    const [stuck, healthy] = await Promise.all([open(viewerA), open(viewerA)]);
    await stuck.next((m) => m.type === 'snapshot');
    await healthy.next((m) => m.type === 'snapshot');
    const before = h.app.liveFeed.clientCount;
    stuck.ws.pause();
    // About 20 MB of state changes: more than the socket buffers can hide for a client that reads nothing.
    const bulky = state(printerA, { status: 'error', error: { code: 'x', message: 'm'.repeat(500) } });
    for (let batch = 0; batch < 20; batch++) {
      const pipeline = h.redis.pipeline();
      for (let i = 0; i < 1000; i++) pipeline.publish(keys.events, JSON.stringify({ type: 'printer.state', at: 1, state: { ...bulky, updatedAt: i } }));
      await pipeline.exec();
    }
    await expect.poll(() => h.app.liveFeed.clientCount, { timeout: 20_000 }).toBe(before - 1);
    await healthy.next(await marker(printerA, 7006), 'marker after the flood');
  }, 40_000);

  it('closes a socket that floods it with messages', async () => {
    const feed = await open(viewerA);
    await feed.next((m) => m.type === 'snapshot');
    for (let i = 0; i < 200; i++) feed.send({ type: 'camera.unwatch', printerId: printerA });
    expect((await feed.closed).code).toBe(4429);
  });

  it('closes the socket with 4401 on logout', async () => {
    const session = await login(h, 'viewa', USER_PASSWORD);
    const feed = await open(session);
    await feed.next((m) => m.type === 'snapshot');
    const res = await call(h, session, { method: 'POST', url: '/api/auth/logout' });
    expect(res.statusCode).toBe(204);
    expect((await feed.closed).code).toBe(4401);
  });

  it('closes the socket with 4401 at once when an admin demotes the user', async () => {
    const session = await addUser(h, admin, 'demoteme', 'operator');
    const feed = await open(session);
    await feed.next((m) => m.type === 'snapshot');
    const up = await stepUp(h, admin);
    expect(up.statusCode).toBeLessThan(300);
    const res = await call(h, admin, { method: 'PATCH', url: `/api/users/${session.userId}`, payload: { role: 'viewer' } });
    expect(res.statusCode).toBe(200);
    expect((await feed.closed).code).toBe(4401);
  });

  it('closes the socket with 4401 when the session ends elsewhere (periodic re-check)', async () => {
    const session = await addUser(h, admin, 'shortlived', 'viewer');
    const feed = await open(session);
    await feed.next((m) => m.type === 'snapshot');
    // Revoked without an HTTP request to this manager, as another manager or an expiry would.
    await h.app.services.sessions.revokeAllForUser(session.userId);
    const closed = await Promise.race([feed.closed, new Promise<null>((r) => setTimeout(() => r(null), 25_000))]);
    expect(closed?.code).toBe(4401);
  }, 30_000);

  it('sends printer.offline when a heartbeat disappears, to those who may see the printer', async () => {
    const a = await open(viewerA);
    const b = await open(viewerB);
    await a.next((m) => m.type === 'snapshot');
    await b.next((m) => m.type === 'snapshot');
    await heartbeat(printerA2);
    await h.app.liveFeed.sweepOffline();
    await h.redis.del(keys.heartbeat(printerA2));
    // No manual sweep here: the periodic one notices.
    expect(await a.next((m) => m.type === 'printer.offline', 'offline')).toMatchObject({ printerId: printerA2 });
    await a.next(await marker(printerA, 7005));
    await b.next(await marker(printerB, 7105));
    expect(b.messages.filter((m) => m.type === 'printer.offline')).toEqual([]);
  });
});
