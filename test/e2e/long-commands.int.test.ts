import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterEach, describe, expect, it } from 'vitest';
import { compareExecuted } from './support/compare-executed.js';
import { expectedCommands } from './support/expected-commands.js';
import { connect, testLink, type HostRun } from './support/host.js';

/**
 * Heating waits, dwell and homing keep the firmware silent except for
 * `busy:` and temperature lines for far longer than an `ok` normally takes;
 * the host must wait them out without nudging a resend, in both modes.
 */
let printer: VirtualPrinter | undefined;
let host: HostRun | undefined;
let dir: string | undefined;

afterEach(async () => {
  await host?.worker.close();
  await printer?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  host = undefined;
  printer = undefined;
  dir = undefined;
});

describe('long-running commands', () => {
  it.each(['window', 'pingpong'] as const)('waits out M190, M109, G28 and G4 with busy lines in between (%s)', async (flow) => {
    dir = await mkdtemp(join(tmpdir(), 'farm-e2e-busy-'));
    const path = join(dir, 'heat.gcode');
    await writeFile(path, ['M140 S60', 'M104 S200', 'G28', 'M190 S60', 'M109 S200', 'G1 X10 Y10 F3000', 'G4 P3000', 'M400', 'G1 X20 Y20', ''].join('\n'));
    // 20× faster than real: heating still takes seconds of printer time, so keepalives flow.
    printer = await startVirtualPrinter({ baud: 250000, latencyMs: 1, profile: '32bit', timeScale: 20 });
    host = await connect(printer.address, testLink({ flowControl: flow, communicationTimeoutMs: 1500 }));

    const result = await host.worker.print({ id: 'heat', path });

    expect(result).toMatchObject({ status: 'completed' });
    expect(host.events.some((event) => event.type === 'firmware.busy')).toBe(true);
    expect(compareExecuted(await expectedCommands(path), printer.executedCommands()).mismatch).toBeNull();
  }, 60_000);
});
