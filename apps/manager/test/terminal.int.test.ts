// The terminal route: heater caps for everyone in every number format, the
// operator allowlist, the admin blocklist with step-up for restricted lines,
// API keys held to the operator policy; refusals never reach Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKeys } from '@farm/contracts';
import { call, createKey, type Caller, type Harness, type Session } from './support/harness.js';
import { addCrew, createPrinter, insertHost, startFarm, stepUp } from './support/farm-fixtures.js';
import { startFakeWorker, type FakeWorker } from './support/fake-worker.js';

const MIN = 60_000;

describe('terminal', () => {
  let h: Harness;
  let keys: LiveKeys;
  let admin: Session;
  let operator: Session;
  let viewer: Session;
  let adminKey: { apiKey: string };
  let printerId: string;
  let worker: FakeWorker;

  const send = (as: Caller, line: string, extra: Record<string, unknown> = {}) =>
    call(h, as, { method: 'POST', url: `/api/printers/${printerId}/terminal`, payload: { line, ...extra } });
  const streamLength = () => h.redis.xlen(keys.controlStream(printerId));

  beforeAll(async () => {
    ({ h, keys, admin } = await startFarm());
    ({ operator, viewer } = await addCrew(h, admin));
    const hostId = (await insertHost(h, 'host-a')).id;
    printerId = await createPrinter(h, admin, 'bench-1', { hostId });
    const { key } = await createKey(h, admin, {
      name: 'automation',
      preset: 'automation',
      permissions: ['printer.read', 'terminal.send', 'terminal.send_restricted'],
    });
    adminKey = { apiKey: key };
    worker = await startFakeWorker({
      h,
      printerId,
      hostId,
      respond: (request) =>
        request.command.kind === 'terminal' ? { ok: true, output: [`echo: ${request.command.line}`, 'ok'] } : null,
    });
  });
  afterAll(async () => {
    await worker.stop();
    await h.close();
  });

  it('sends an allowed line, signed, and returns the worker output', async () => {
    const res = await send(operator, 'M105');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ output: ['echo: M105', 'ok'] });
    const last = worker.received.at(-1);
    expect(last?.verified.ok && last.verified.request.command).toEqual({ kind: 'terminal', line: 'M105' });
  });

  it('refuses heater targets above the caps in every spelling, for every role, before Redis', async () => {
    const before = await streamLength();
    const over = [
      'M104 S999',
      'm104 s261',
      'M104 S261 ; fine, really',
      'N12 M104 S999*33',
      'M140 S1.2e2',
      'M140 S+111',
      'M140 S0111.5',
      'M190 R115',
      'M109 T1 S301',
      'M109 S301 T1',
      'M104 T0 S270',
      'G1 X10 M104 S400',
      'M104 (comment) S400',
    ];
    for (const as of [operator, admin, adminKey]) {
      for (const line of over) {
        const res = await send(as, line);
        expect({ line, status: res.statusCode }).toEqual({ line, status: 422 });
        expect(res.json().error).toBe('command_refused');
        expect(res.json().message).toMatch(/above this printer's cap/);
      }
    }
    expect(await streamLength()).toBe(before);
    // At the cap is fine, per tool.
    expect((await send(operator, 'M109 T1 S300')).statusCode).toBe(200);
    expect((await send(operator, 'M140 S110')).statusCode).toBe(200);
  });

  it('holds operators to the allowlist and admins to the blocklist', async () => {
    const before = await streamLength();
    const m500 = await send(operator, 'M500');
    expect(m500.statusCode).toBe(422);
    expect(m500.json().message).toMatch(/restricted/);
    expect((await send(operator, 'M302 S0')).statusCode).toBe(422);
    expect((await send(operator, 'SET_PIN PIN=heater VALUE=1')).statusCode).toBe(422);
    // Blocked for everyone, admins included.
    expect((await send(admin, 'M0')).statusCode).toBe(422);
    expect((await send(admin, 'M42 P4 S255 I')).statusCode).toBe(422);
    // One line, one command: a line break inside is refused by the schema.
    expect((await send(admin, 'M105\nM500')).statusCode).toBe(400);
    expect(await streamLength()).toBe(before);

    // Freshly signed in counts as a recent step-up: the admin's restricted line goes through.
    const adminM500 = await send(admin, 'M500');
    expect(adminM500.statusCode).toBe(200);
    expect(await streamLength()).toBe(before + 1);
  });

  it('never lets an API key send a restricted line, even an admin key holding terminal.send_restricted', async () => {
    const before = await streamLength();
    const res = await send(adminKey, 'M500');
    expect(res.statusCode).toBe(422);
    expect(await streamLength()).toBe(before);
    expect((await send(adminKey, 'G28 X')).statusCode).toBe(200);
  });

  it('needs a recent step-up for a restricted line, not for an allowed one', async () => {
    h.clock.advance(5 * MIN + 1000);
    await worker.setStatus('idle');
    const before = await streamLength();
    const stale = await send(admin, 'M500');
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error).toBe('step_up_required');
    expect(await streamLength()).toBe(before);
    expect((await send(admin, 'M105')).statusCode).toBe(200);

    const up = await stepUp(h, admin);
    expect(up.statusCode).toBe(200);
    expect((await send(admin, 'M500')).statusCode).toBe(200);
  });

  it('refuses restricted lines while the printer prints, and a restart without the inspection confirmation', async () => {
    await worker.setStatus('printing');
    try {
      const busy = await send(admin, 'M500');
      expect(busy.statusCode).toBe(422);
      expect(busy.json().message).toMatch(/idle/);
    } finally {
      await worker.setStatus('idle');
    }
    expect((await send(operator, 'M999')).statusCode).toBe(422);
    expect((await send(operator, 'M999', { inspectionConfirmed: true })).statusCode).toBe(200);
  });

  it('refuses viewers, and answers 409 when no worker reports the printer', async () => {
    expect((await send(viewer, 'M105')).statusCode).toBe(403);
    await h.redis.del(keys.heartbeat(printerId));
    try {
      const offline = await send(operator, 'M105');
      expect(offline.statusCode).toBe(409);
      expect(offline.json().message).toMatch(/not connected/);
      // A refusal still wins over the offline answer: it names the real problem.
      expect((await send(operator, 'M104 S999')).statusCode).toBe(422);
    } finally {
      await worker.setStatus('idle');
    }
  });

  it('lets at most 10 lines a second reach one printer', async () => {
    h.clock.advance(1000);
    const before = await streamLength();
    for (let i = 0; i < 10; i++) expect((await send(i % 2 ? operator : admin, 'M105')).statusCode).toBe(200);
    const over = await send(operator, 'M105');
    expect(over.statusCode).toBe(429);
    expect(over.headers['retry-after']).toBe('1');
    expect(await streamLength()).toBe(before + 10);
    h.clock.advance(1000);
    expect((await send(operator, 'M105')).statusCode).toBe(200);
  });

  it('audits terminal lines, refused ones included', async () => {
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['outcome', 'reason'])
      .where('action', '=', 'printer.terminal')
      .execute();
    expect(rows.some((r) => r.outcome === 'success')).toBe(true);
    expect(rows.some((r) => r.outcome === 'failure' && r.reason === 'command_refused')).toBe(true);
    expect(rows.some((r) => r.outcome === 'denied' && r.reason === 'step_up_required')).toBe(true);
  });
});
