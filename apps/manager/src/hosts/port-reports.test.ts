import { describe, expect, it } from 'vitest';
import type { DetectedPort } from '@farm/contracts';
import { awaitsAdoption, portChanges, referencedPrinterIds } from './port-reports.js';

const port = (path: string, match: DetectedPort['match'] = { kind: 'new' }): DetectedPort => ({
  path,
  byId: [],
  byPath: [],
  virtual: false,
  match,
});

describe('port reports', () => {
  it('collects every printer a report names, ambiguity candidates included', () => {
    const ids = referencedPrinterIds([
      port('/dev/a', { kind: 'known', printerId: 'p1' }),
      port('/dev/b', { kind: 'moved', printerId: 'p2', previousPath: '/dev/x' }),
      port('/dev/c', { kind: 'ambiguous', candidates: ['p3', 'p1'], reason: 'no-unique-serial' }),
      port('/dev/d'),
    ]);
    expect([...ids].sort()).toEqual(['p1', 'p2', 'p3']);
  });

  it('reports ports that appeared and disappeared by device path, not ones whose match changed', () => {
    const before = [port('/dev/a'), port('/dev/b')];
    const after = [port('/dev/b', { kind: 'known', printerId: 'p1' }), port('/dev/c')];
    const changes = portChanges(before, after);
    expect(changes.detected.map((p) => p.path)).toEqual(['/dev/c']);
    expect(changes.lost).toEqual(['/dev/a']);
    expect(portChanges([], before).detected).toHaveLength(2);
    expect(portChanges(before, []).lost).toEqual(['/dev/a', '/dev/b']);
  });

  it('leaves new and ambiguous ports for an admin, and known or moved ones out', () => {
    expect(awaitsAdoption(port('/dev/a'))).toBe(true);
    expect(awaitsAdoption(port('/dev/a', { kind: 'ambiguous', candidates: [], reason: 'conflict' }))).toBe(true);
    expect(awaitsAdoption(port('/dev/a', { kind: 'known', printerId: 'p' }))).toBe(false);
    expect(awaitsAdoption(port('/dev/a', { kind: 'moved', printerId: 'p', previousPath: '/dev/b' }))).toBe(false);
  });
});
