// Printer listings carry what the worker last reported: offline without a
// heartbeat, the reported state with one; read from Redis as workers write it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKeys, PrinterLiveState } from '@farm/contracts';
import { call, type Harness, type Session } from './support/harness.js';
import {
  addUser,
  insertPrinter,
  liveState,
  startFarm,
  writeHeartbeat,
  writeLiveState,
} from './support/farm-fixtures.js';

type Listed = { id: string; name: string; live: Record<string, unknown> };

describe('printer listings with live state', () => {
  let h: Harness;
  let keys: LiveKeys;
  let viewer: Session;
  let printing: string;
  let silent: string;
  let crashed: string;

  const reported = (printerId: string): PrinterLiveState =>
    liveState(printerId, {
      status: 'printing',
      updatedAt: 1_772_000_000_000,
      firmware: { name: 'Marlin 2.1.2', advancedOk: true },
      heaters: [
        { heater: 'T0', actualC: 214.6, targetC: 215, power: 0.4 },
        { heater: 'B', actualC: 60.1, targetC: 60 },
      ],
      job: { jobId: 'job-1', fraction: 0.42, linesSent: 12_000, elapsedS: 600, remainingS: 820 },
      stats: { linesSent: 12_000, resends: 2, lineErrors: 1, timeouts: 0, connects: 1, linesPerSecond: 40 },
    });
  const beat = (printerId: string) => writeHeartbeat(h, printerId, { pid: 99 });
  const list = async (as: Session) => {
    const res = await call(h, as, { method: 'GET', url: '/api/printers' });
    expect(res.statusCode).toBe(200);
    return new Map(res.json<{ printers: Listed[] }>().printers.map((p) => [p.id, p]));
  };

  beforeAll(async () => {
    const farm = await startFarm();
    ({ h, keys } = farm);
    viewer = await addUser(h, farm.admin, 'wall', 'viewer');
    printing = await insertPrinter(h, 'Printing');
    silent = await insertPrinter(h, 'Never reported');
    crashed = await insertPrinter(h, 'Worker gone');
    await writeLiveState(h, printing, reported(printing));
    await beat(printing);
    // The worker died: its last state document is still there, its heartbeat expired.
    await writeLiveState(h, crashed, reported(crashed));
  });
  afterAll(() => h.close());

  it('shows the reported state of a printer whose worker is alive', async () => {
    const live = (await list(viewer)).get(printing)?.live;
    expect(live).toEqual({
      status: 'printing',
      online: true,
      updatedAt: 1_772_000_000_000,
      firmware: { name: 'Marlin 2.1.2', advancedOk: true },
      heaters: reported(printing).heaters,
      job: reported(printing).job,
      error: null,
    });
  });

  it('shows offline without a heartbeat, keeping the last report for context', async () => {
    const printers = await list(viewer);
    expect(printers.get(silent)?.live).toEqual({
      status: 'offline',
      online: false,
      updatedAt: null,
      firmware: null,
      heaters: [],
      job: null,
      error: null,
    });
    expect(printers.get(crashed)?.live).toMatchObject({ status: 'offline', online: false, updatedAt: 1_772_000_000_000 });
  });

  it('goes offline as soon as the heartbeat key is gone, and back with it', async () => {
    await h.redis.del(keys.heartbeat(printing));
    expect((await list(viewer)).get(printing)?.live).toMatchObject({ status: 'offline', online: false });
    await beat(printing);
    expect((await list(viewer)).get(printing)?.live).toMatchObject({ status: 'printing', online: true });
  });

  it('carries the live state on the single-printer route too, with errors', async () => {
    await writeLiveState(h, crashed, {
      ...reported(crashed),
      status: 'halted',
      job: undefined,
      error: { code: 'thermal-runaway', message: 'T0 heating failed' },
    });
    await beat(crashed);
    const res = await call(h, viewer, { method: 'GET', url: `/api/printers/${crashed}` });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ printer: Listed }>().printer.live).toMatchObject({
      status: 'halted',
      online: true,
      job: null,
      error: { code: 'thermal-runaway', message: 'T0 heating failed' },
    });
  });

  it('treats a state document that breaks the contract as no report', async () => {
    await writeLiveState(h, silent, { printerId: silent, status: 'on-fire', html: '<img onerror=x>' });
    await beat(silent);
    expect((await list(viewer)).get(silent)?.live).toEqual({
      status: 'disconnected',
      online: true,
      updatedAt: null,
      firmware: null,
      heaters: [],
      job: null,
      error: null,
    });
  });

  it('does not leak worker counters or host ids into the listing', async () => {
    const live = (await list(viewer)).get(printing)?.live ?? {};
    expect(Object.keys(live).sort()).toEqual(['error', 'firmware', 'heaters', 'job', 'online', 'status', 'updatedAt']);
  });
});
