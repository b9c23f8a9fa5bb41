// Printer controls through the API: signed requests on the control stream,
// results back, timeouts, heater caps, scope, offline printers, audit, and
// temperature history. The worker is the fake-worker test double.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { controlKey, hostControlKey, STREAM_FIELD, type LiveKeys, type TemperatureSample } from '@farm/contracts';
import { call, type Harness, type Session } from './support/harness.js';
import { createPrinter, startTwoGroupFarm, verifyAsWorker } from './support/farm-fixtures.js';
import { startFakeWorker, type FakeWorker } from './support/fake-worker.js';

describe('printer controls', () => {
  let h: Harness;
  let keys: LiveKeys;
  let admin: Session;
  let operator: Session;
  let viewer: Session;
  let outsider: Session;
  let hostA: string;
  let hostB: string;
  let printerId: string;
  let silentId: string;
  let offlineId: string;
  let unadoptedId: string;
  let worker: FakeWorker;
  let silent: FakeWorker;

  const control = (as: Session, id: string, body: Record<string, unknown>) =>
    call(h, as, { method: 'POST', url: `/api/printers/${id}/control`, payload: body });
  const streamLength = (id: string) => h.redis.xlen(keys.controlStream(id));
  const now = () => h.clock.now().getTime();

  beforeAll(async () => {
    ({ h, keys, admin, operator, viewer, outsider, hostA, hostB } = await startTwoGroupFarm());
    printerId = await createPrinter(h, admin, 'bench-1', { hostId: hostA });
    silentId = await createPrinter(h, admin, 'bench-2', { hostId: hostA });
    offlineId = await createPrinter(h, admin, 'bench-3', { hostId: hostB });
    unadoptedId = await createPrinter(h, admin, 'bench-4', { hostId: null });
    worker = await startFakeWorker({ h, printerId, hostId: hostA });
    silent = await startFakeWorker({ h, printerId: silentId, hostId: hostA, respond: () => null });
  });
  afterAll(async () => {
    await worker.stop();
    await silent.stop();
    await h.close();
  });

  it('sends a signed request that verifies with the host key only, and answers with the worker result', async () => {
    const before = worker.received.length;
    const res = await control(operator, printerId, { kind: 'home', axes: ['x', 'y'] });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ output: ['ok home'] });

    const got = worker.received[before];
    expect(got?.verified.ok).toBe(true);
    if (!got?.verified.ok) return;
    expect(got.verified.request).toMatchObject({
      printerId,
      command: { kind: 'home', axes: ['x', 'y'] },
      issuedBy: { userId: operator.userId, role: 'operator' },
    });
    // The same bytes fail with another host's key and with the unscoped base key.
    const otherHost = verifyAsWorker(h, got.raw, hostControlKey(h.config.jobSigningSecret, hostB));
    expect(otherHost).toEqual({ ok: false, code: 'bad-signature' });
    const base = verifyAsWorker(h, got.raw, controlKey(h.config.jobSigningSecret));
    expect(base).toEqual({ ok: false, code: 'bad-signature' });
  });

  it('connects and disconnects through the connection route', async () => {
    const res = await call(h, operator, {
      method: 'POST',
      url: `/api/printers/${printerId}/connection`,
      payload: { action: 'connect' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ output: ['ok connect'] });
    const off = await call(h, operator, {
      method: 'POST',
      url: `/api/printers/${printerId}/connection`,
      payload: { action: 'disconnect' },
    });
    expect(off.json()).toEqual({ output: ['ok disconnect'] });
    const bad = await call(h, operator, {
      method: 'POST',
      url: `/api/printers/${printerId}/connection`,
      payload: { action: 'reboot' },
    });
    expect(bad.statusCode).toBe(400);
  });

  it("picks its own answer among other managers' results and junk on the results stream", async () => {
    const results = keys.controlResults(printerId);
    worker.respond = (request) => {
      // Queued on the same connection as the real answer, so they land before it.
      void h.redis.xadd(
        results,
        '*',
        STREAM_FIELD,
        JSON.stringify({
          requestId: 'someone-elses-request',
          printerId,
          at: now(),
          outcome: { ok: true, output: ['not yours'] },
        }),
      );
      void h.redis.xadd(results, '*', STREAM_FIELD, '{not json');
      void h.redis.xadd(results, '*', 'other-field', 'x');
      return { ok: true, output: [`mine ${request.id}`] };
    };
    try {
      const res = await control(operator, printerId, { kind: 'fan', index: 0, speed: 0.5 });
      expect(res.statusCode).toBe(200);
      const last = worker.received.at(-1);
      expect(last?.verified.ok).toBe(true);
      if (!last?.verified.ok) return;
      expect(res.json()).toEqual({ output: [`mine ${last.verified.request.id}`] });
    } finally {
      worker.respond = (request) => ({ ok: true, output: [`ok ${request.command.kind}`] });
    }
  });

  it('maps worker refusals to clear errors', async () => {
    worker.respond = () => ({ ok: false, code: 'refused-by-safety', message: 'X is outside the build volume' });
    const refused = await control(operator, printerId, { kind: 'jog', x: 900 });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().message).toContain('outside the build volume');
    worker.respond = () => ({ ok: false, code: 'not-connected', message: 'port closed' });
    const closed = await control(operator, printerId, { kind: 'pause' });
    expect(closed.statusCode).toBe(409);
    expect(closed.json().error).toBe('not_connected');
    worker.respond = () => ({ ok: false, code: 'failed', message: 'firmware said Error:Printer halted' });
    const failed = await control(operator, printerId, { kind: 'resume' });
    expect(failed.statusCode).toBe(502);
    expect(failed.json().message).toContain('Printer halted');
    worker.respond = (request) => ({ ok: true, output: [`ok ${request.command.kind}`] });
  });

  it('answers 504 when the worker stays silent, after the request reached the stream', async () => {
    const before = await streamLength(silentId);
    const res = await control(operator, silentId, { kind: 'pause' });
    expect(res.statusCode).toBe(504);
    expect(res.json().error).toBe('printer_timeout');
    expect(res.json().message).toMatch(/sent; the printer did not answer in 10 s/);
    expect(await streamLength(silentId)).toBe(before + 1);
    expect(silent.received.at(-1)?.verified.ok).toBe(true);
  }, 30_000);

  it('refuses set-temperature above the heater cap before anything is sent', async () => {
    const before = await streamLength(printerId);
    const over = [
      { heater: 'T0', targetC: 261 },
      { heater: 'T1', targetC: 301 },
      { heater: 'B', targetC: 111 },
      { heater: 'C', targetC: 40 }, // no chamber on this printer
      { heater: 'T2', targetC: 100 }, // no third tool
    ];
    for (const target of over) {
      const res = await control(admin, printerId, { kind: 'set-temperature', ...target });
      expect({ target, status: res.statusCode }).toEqual({ target, status: 422 });
    }
    const capped = await control(operator, printerId, { kind: 'set-temperature', heater: 'T0', targetC: 261 });
    expect(capped.json().message).toContain('260');
    // Above the contract's absolute maximum: refused by the schema.
    expect((await control(admin, printerId, { kind: 'set-temperature', heater: 'T0', targetC: 9999 })).statusCode).toBe(
      400,
    );
    expect(await streamLength(printerId)).toBe(before);

    const within = await control(operator, printerId, { kind: 'set-temperature', heater: 'T1', targetC: 300 });
    expect(within.statusCode).toBe(200);
    expect(await streamLength(printerId)).toBe(before + 1);
  });

  it('refuses kinds that have their own routes, and unknown fields', async () => {
    for (const body of [
      { kind: 'emergency-stop' },
      { kind: 'connect' },
      { kind: 'terminal', line: 'M105' },
      { kind: 'pause', extra: 1 },
    ]) {
      const res = await control(admin, printerId, body);
      expect({ body, status: res.statusCode }).toEqual({ body, status: 400 });
    }
  });

  it("lets a viewer control nothing and hides printers outside the caller's groups", async () => {
    const before = await streamLength(printerId);
    expect((await control(viewer, printerId, { kind: 'pause' })).statusCode).toBe(403);
    expect(
      (
        await call(h, viewer, {
          method: 'POST',
          url: `/api/printers/${printerId}/connection`,
          payload: { action: 'connect' },
        })
      ).statusCode,
    ).toBe(403);
    const hidden = await control(outsider, printerId, { kind: 'pause' });
    expect(hidden.statusCode).toBe(404);
    expect(
      (
        await call(h, outsider, {
          method: 'POST',
          url: `/api/printers/${printerId}/connection`,
          payload: { action: 'connect' },
        })
      ).statusCode,
    ).toBe(404);
    expect(
      (await call(h, outsider, { method: 'GET', url: `/api/printers/${printerId}/temperatures` })).statusCode,
    ).toBe(404);
    expect((await control(operator, randomUUID(), { kind: 'pause' })).statusCode).toBe(404);
    expect(await streamLength(printerId)).toBe(before);
  });

  it('answers 409 for a printer without a worker heartbeat or without a host', async () => {
    const offline = await control(operator, offlineId, { kind: 'pause' });
    expect(offline.statusCode).toBe(409);
    expect(offline.json().message).toMatch(/not connected/);
    expect(await streamLength(offlineId)).toBe(0);
    const unadopted = await control(operator, unadoptedId, { kind: 'pause' });
    expect(unadopted.statusCode).toBe(409);
    expect(unadopted.json().message).toMatch(/not adopted/);
  });

  it('audits every control with its command kind', async () => {
    await control(operator, printerId, { kind: 'cancel' });
    await control(viewer, printerId, { kind: 'cancel' });
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'outcome', 'actor_user_id'])
      .where('action', 'in', ['printer.cancel', 'printer.set-temperature', 'printer.connect', 'printer.control'])
      .execute();
    expect(rows).toContainEqual({
      action: 'printer.cancel',
      target: printerId,
      outcome: 'success',
      actor_user_id: operator.userId,
    });
    expect(rows).toContainEqual({
      action: 'printer.set-temperature',
      target: printerId,
      outcome: 'failure',
      actor_user_id: operator.userId,
    });
    expect(rows).toContainEqual({
      action: 'printer.connect',
      target: printerId,
      outcome: 'success',
      actor_user_id: operator.userId,
    });
    // Refused before the body was read: the route's own action name.
    expect(rows).toContainEqual({
      action: 'printer.control',
      target: printerId,
      outcome: 'denied',
      actor_user_id: viewer.userId,
    });
  });

  describe('temperature history', () => {
    const sample = (ms: number, id = printerId): TemperatureSample => ({
      printerId: id,
      at: ms,
      heaters: [{ heater: 'T0', actualC: 20 + ms / 1000, targetC: 0 }],
    });

    beforeAll(async () => {
      const key = keys.temperatureHistory(printerId);
      for (let i = 0; i < 10; i++) {
        const ms = 1_000_000 + i * 1000;
        await h.redis.xadd(key, `${ms}-0`, STREAM_FIELD, JSON.stringify(sample(ms)));
        // Entries that are not valid samples for this printer are skipped.
        if (i === 3) await h.redis.xadd(key, `${ms}-1`, STREAM_FIELD, '{"broken"');
        if (i === 6) await h.redis.xadd(key, `${ms}-1`, STREAM_FIELD, JSON.stringify(sample(ms, 'another-printer')));
      }
    });

    const read = (as: Session, query: string) =>
      call(h, as, { method: 'GET', url: `/api/printers/${printerId}/temperatures?${query}` });

    it('pages forward from `since` through every valid sample, in order', async () => {
      const seen: number[] = [];
      let since: number | null = 0;
      for (let page = 0; since !== null && page < 20; page++) {
        const res = await read(viewer, `since=${since}&limit=4`);
        expect(res.statusCode).toBe(200);
        const body = res.json<{ samples: TemperatureSample[]; nextSince: number | null }>();
        seen.push(...body.samples.map((s) => s.at));
        since = body.nextSince;
      }
      expect(seen).toEqual(Array.from({ length: 10 }, (_, i) => 1_000_000 + i * 1000));
    });

    it('returns the newest samples without `since`, and validates the query', async () => {
      const res = await read(viewer, 'limit=3');
      expect(res.json().samples.map((s: TemperatureSample) => s.at)).toEqual([1_007_000, 1_008_000, 1_009_000]);
      expect(res.json().nextSince).toBeNull();
      expect((await read(viewer, 'limit=0')).statusCode).toBe(400);
      expect((await read(viewer, 'since=-5')).statusCode).toBe(400);
      const empty = await call(h, viewer, { method: 'GET', url: `/api/printers/${offlineId}/temperatures` });
      expect(empty.json()).toEqual({ samples: [], nextSince: null });
    });
  });
});
