import { describe, expect, it } from 'vitest';
import { createPrinterGroups, GROUPS_MAX_AGE_MS, UNKNOWN_RELOAD_MS } from './printer-groups.js';

function source(rows: Array<{ id: string; groupId: string }>) {
  const calls = { count: 0 };
  return { calls, rows, load: async () => (calls.count++, [...rows]) };
}

describe('printer group cache', () => {
  it('loads once and answers from memory while fresh', async () => {
    let now = 0;
    const s = source([{ id: 'p1', groupId: 'g1' }]);
    const groups = createPrinterGroups(s.load, () => now);
    expect(await groups.knows('p1')).toBe(true);
    now += 100;
    expect(await groups.knows('p1')).toBe(true);
    expect(groups.groupOf('p1')).toBe('g1');
    expect(s.calls.count).toBe(1);
  });

  it('reloads for an unknown printer, but not more than once per interval', async () => {
    let now = 0;
    const s = source([{ id: 'p1', groupId: 'g1' }]);
    const groups = createPrinterGroups(s.load, () => now);
    await groups.knows('p1');
    now += UNKNOWN_RELOAD_MS + 1;
    s.rows.push({ id: 'p2', groupId: 'g2' });
    expect(await groups.knows('p2')).toBe(true);
    expect(await groups.knows('junk')).toBe(false);
    expect(await groups.knows('junk')).toBe(false);
    expect(s.calls.count).toBe(2);
  });

  it('reloads before the next use after printers changed', async () => {
    let now = 0;
    const s = source([{ id: 'p1', groupId: 'g1' }]);
    const groups = createPrinterGroups(s.load, () => now);
    await groups.knows('p1');
    s.rows[0] = { id: 'p1', groupId: 'g2' };
    groups.invalidate();
    now += 1;
    expect(await groups.knows('p1')).toBe(true);
    expect(groups.groupOf('p1')).toBe('g2');
  });

  it('refreshes a stale cache for the sweep', async () => {
    let now = 0;
    const s = source([{ id: 'p1', groupId: 'g1' }]);
    const groups = createPrinterGroups(s.load, () => now);
    await groups.fresh();
    s.rows.push({ id: 'p3', groupId: 'g1' });
    await groups.fresh();
    expect(groups.printerIds()).toEqual(['p1']);
    now += GROUPS_MAX_AGE_MS + 1;
    await groups.fresh();
    expect(groups.printerIds().sort()).toEqual(['p1', 'p3']);
  });

  it('tries again after a failed load', async () => {
    let fail = true;
    const groups = createPrinterGroups(async () => {
      if (fail) throw new Error('database down');
      return [{ id: 'p1', groupId: 'g1' }];
    });
    await expect(groups.knows('p1')).rejects.toThrow('database down');
    fail = false;
    expect(await groups.knows('p1')).toBe(true);
  });
});
