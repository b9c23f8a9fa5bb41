import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtualPrinter } from '@farm/virtual-printer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareExecuted } from './support/compare-executed.js';
import { fileCommands } from './support/file-lines.js';
import { connect, countersOf, testLink } from './support/host.js';
import { tinySegmentGcode } from './support/tiny-segments.js';

/**
 * RepRapFirmware drops a line with a bad checksum without a word (no error, no resend, no ok).
 * Printed through a real pseudo-terminal into an RRF-flavoured virtual printer with corrupted
 * lines: every dropped line is found by an `M105` probe and resent at once, so the file runs
 * exactly once and in order, and the link never waits for its communication timeout.
 */
let dir = '';
let file = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rrf-drop-'));
  file = join(dir, 'circles.gcode');
  await writeFile(file, tinySegmentGcode({ segments: 3000 }));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lines RepRapFirmware drops silently', () => {
  it('are resent after a prompt M105 probe, not after the communication timeout', async () => {
    const printer = await startVirtualPrinter({ flavor: 'rrf', profile: '32bit', timeScale: 1000, faults: 'corrupt=0.01,seed=7' });
    try {
      // A timeout long enough that finishing at all proves the probes did the recovering.
      const host = await connect(printer.address, testLink({ flowControl: 'pingpong', communicationTimeoutMs: 120_000, silentDropProbeMs: 50 }));
      const result = await host.worker.print({ id: 'circles', path: file });
      await host.worker.close();
      expect(result).toEqual({ status: 'completed', lines: fileCommands(file).length });
      const { mismatch } = compareExecuted(
        fileCommands(file).map((line) => line.command),
        printer.executedCommands(),
      );
      expect(mismatch).toBeNull();
      const stats = printer.stats();
      expect(stats.faults.corrupt).toBeGreaterThan(5);
      // One resend per dropped line; a dropped M105 needs none.
      const resends = countersOf(host.events)?.resends ?? 0;
      expect(resends).toBeGreaterThan(5);
      expect(resends).toBeLessThanOrEqual(stats.faults.corrupt);
      expect(host.events.filter((e) => e.type === 'error' && e.code === 'timeout')).toEqual([]);
    } finally {
      await printer.close();
    }
  }, 120_000);
});
