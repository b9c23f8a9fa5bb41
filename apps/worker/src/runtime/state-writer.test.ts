import type { PrinterLiveState } from '@farm/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { StateWriter } from './state-writer.js';

const base: PrinterLiveState = { printerId: 'p1', hostId: 'h', status: 'idle', updatedAt: 0, heaters: [] };
const at = (status: PrinterLiveState['status'], updatedAt: number): PrinterLiveState => ({
  ...base,
  status,
  updatedAt,
});

describe('state writer', () => {
  let writer: StateWriter | undefined;
  afterEach(() => writer?.stop());

  it('writes status changes at once and coalesces the rest to the latest state', () => {
    const written: PrinterLiveState[] = [];
    let now = 1000;
    writer = new StateWriter({ write: (s) => written.push(s), intervalMs: 500, now: () => now });
    writer.update(at('idle', 1));
    writer.update(at('idle', 2));
    writer.update(at('idle', 3));
    expect(written.map((s) => s.updatedAt)).toEqual([1]);
    writer.update(at('printing', 4));
    expect(written.map((s) => s.updatedAt)).toEqual([1, 4]);
    writer.update(at('printing', 5));
    writer.update(at('printing', 6));
    writer.flush();
    expect(written.map((s) => s.updatedAt)).toEqual([1, 4, 6]);
    // Once the interval has passed, a progress-only change goes out directly.
    now += 600;
    writer.update(at('printing', 7));
    expect(written.map((s) => s.updatedAt)).toEqual([1, 4, 6, 7]);
  });

  it('writes a new error at once', () => {
    const written: PrinterLiveState[] = [];
    writer = new StateWriter({ write: (s) => written.push(s), intervalMs: 500, now: () => 0 });
    writer.update(at('idle', 1));
    writer.update({ ...at('idle', 2), error: { code: 'firmware_error', message: 'x' } });
    expect(written).toHaveLength(2);
  });
});
