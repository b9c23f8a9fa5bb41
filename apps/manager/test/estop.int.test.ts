// Emergency stop through the API: published on the stop channel, signed for
// the printer's host, for one printer or everything the caller can see,
// offline printers included, audited, and never rate limited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { ALL_PRINTERS, hostControlKey, type ControlRequest, type LiveKeys } from '@farm/contracts';
import { call, type Harness, type Session } from './support/harness.js';
import { createPrinter, insertHost, startFarm, startTwoGroupFarm, verifyAsWorker } from './support/farm-fixtures.js';

/** Listens on the emergency-stop channel like every worker does. */
async function listen(h: Harness, keys: LiveKeys) {
  const sub: Redis = h.redis.duplicate();
  const messages: string[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  sub.on('message', (_channel: string, message: string) => {
    messages.push(message);
    for (const w of waiters.filter((w) => messages.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  await sub.subscribe(keys.emergencyStop);
  return {
    messages,
    /** Resolves once `count` messages in all have arrived. */
    waitFor: (count: number) =>
      messages.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () => sub.quit(),
  };
}

describe('emergency stop', () => {
  let h: Harness;
  let keys: LiveKeys;
  let admin: Session;
  let operator: Session;
  let viewer: Session;
  let outsider: Session;
  let hostA: string;
  let hostB: string;
  let a1: string;
  let a2: string;
  let b1: string;
  let listener: Awaited<ReturnType<typeof listen>>;

  const verify = (raw: string, hostId: string) =>
    verifyAsWorker(h, raw, hostControlKey(h.config.jobSigningSecret, hostId));
  const request = (raw: string) => JSON.parse(raw) as ControlRequest;

  beforeAll(async () => {
    let labB: string;
    ({ h, keys, admin, operator, viewer, outsider, labB, hostA, hostB } = await startTwoGroupFarm());
    // Host A serves a printer of each group; host B one of the default group.
    a1 = await createPrinter(h, admin, 'a1', { hostId: hostA });
    a2 = await createPrinter(h, admin, 'a2', { hostId: hostA }, { groupId: labB });
    b1 = await createPrinter(h, admin, 'b1', { hostId: hostB });
    listener = await listen(h, keys);
  });
  afterAll(async () => {
    await listener.close();
    await h.close();
  });

  it('stops one printer: a signed stop for its host, published even though no worker reports it', async () => {
    const before = listener.messages.length;
    const res = await call(h, operator, { method: 'POST', url: `/api/printers/${a1}/emergency-stop` });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ printers: 1, messages: 1, receivers: 1 });
    await listener.waitFor(before + 1);
    const raw = listener.messages[before] ?? '';
    const verified = verify(raw, hostA);
    expect(verified.ok).toBe(true);
    expect(request(raw)).toMatchObject({
      printerId: a1,
      command: { kind: 'emergency-stop' },
      issuedBy: { userId: operator.userId, role: 'operator' },
    });
    // Another host's workers reject it.
    expect(verify(raw, hostB)).toEqual({ ok: false, code: 'bad-signature' });
  });

  it('stops everything for an admin with one `*` message per host', async () => {
    const before = listener.messages.length;
    const res = await call(h, admin, { method: 'POST', url: '/api/emergency-stop' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ printers: 3, messages: 2, receivers: 2 });
    await listener.waitFor(before + 2);
    const sent = listener.messages.slice(before);
    expect(sent.map((raw) => request(raw).printerId)).toEqual([ALL_PRINTERS, ALL_PRINTERS]);
    const byHost = (hostId: string) => sent.filter((raw) => verify(raw, hostId).ok);
    expect(byHost(hostA)).toHaveLength(1);
    expect(byHost(hostB)).toHaveLength(1);
  });

  it("stops only the printers in a group-limited caller's groups, one message each", async () => {
    const before = listener.messages.length;
    const res = await call(h, operator, { method: 'POST', url: '/api/emergency-stop' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ printers: 2, messages: 2 });
    await listener.waitFor(before + 2);
    const sent = listener.messages.slice(before).map((raw) => ({ raw, req: request(raw) }));
    expect(sent.map((m) => m.req.printerId).sort()).toEqual([a1, b1].sort());
    expect(sent.every((m) => verify(m.raw, m.req.printerId === a1 ? hostA : hostB).ok)).toBe(true);

    const other = listener.messages.length;
    const outside = await call(h, outsider, { method: 'POST', url: '/api/emergency-stop' });
    expect(outside.json()).toMatchObject({ printers: 1, messages: 1 });
    await listener.waitFor(other + 1);
    expect(request(listener.messages[other] ?? '').printerId).toBe(a2);
  });

  it("hides printers outside the caller's groups and refuses viewers", async () => {
    const before = listener.messages.length;
    expect((await call(h, outsider, { method: 'POST', url: `/api/printers/${a1}/emergency-stop` })).statusCode).toBe(
      404,
    );
    expect((await call(h, viewer, { method: 'POST', url: `/api/printers/${a1}/emergency-stop` })).statusCode).toBe(403);
    expect((await call(h, viewer, { method: 'POST', url: '/api/emergency-stop' })).statusCode).toBe(403);
    // Published messages would have arrived by the time this round trip returns.
    await h.redis.ping();
    expect(listener.messages.length).toBe(before);
  });

  it('audits every stop', async () => {
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'outcome', 'actor_user_id'])
      .where('action', 'in', ['printer.emergency-stop', 'printers.emergency-stop-all'])
      .execute();
    expect(rows).toContainEqual({
      action: 'printer.emergency-stop',
      target: a1,
      outcome: 'success',
      actor_user_id: operator.userId,
    });
    expect(rows).toContainEqual({
      action: 'printers.emergency-stop-all',
      target: '*',
      outcome: 'success',
      actor_user_id: admin.userId,
    });
    expect(rows).toContainEqual({
      action: 'printer.emergency-stop',
      target: a1,
      outcome: 'denied',
      actor_user_id: viewer.userId,
    });
  });
});

describe('emergency stop under a low rate limit', () => {
  let h: Harness;
  let admin: Session;

  beforeAll(async () => {
    ({ h, admin } = await startFarm({ rateLimitPerMinute: 5 }));
  });
  afterAll(() => h.close());

  it('is never rate limited while other routes are', async () => {
    const printerId = await createPrinter(h, admin, 'p1', { hostId: (await insertHost(h, 'host-a')).id });
    for (let i = 0; i < 25; i++) {
      const one = await call(h, admin, { method: 'POST', url: `/api/printers/${printerId}/emergency-stop` });
      const all = await call(h, admin, { method: 'POST', url: '/api/emergency-stop' });
      expect([one.statusCode, all.statusCode]).toEqual([202, 202]);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++)
      statuses.push((await call(h, admin, { method: 'GET', url: '/api/printers' })).statusCode);
    expect(statuses).toContain(429);
  });
});
