import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { connect, testLink, type HostRun } from './support/host.js';
import { tinySegmentGcode } from './support/tiny-segments.js';

/**
 * Rules 4 and 5 through a real pseudo-terminal: an over-limit temperature is
 * refused before any byte of it reaches the wire, from a file and from a
 * direct command; an emergency stop overtakes every queued line.
 */
let dir: string;
let printer: VirtualPrinter | undefined;
let host: HostRun | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'farm-e2e-safety-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await host?.worker.close();
  await printer?.close();
  host = undefined;
  printer = undefined;
});

function sentLines(run: HostRun): string[] {
  return run.events.flatMap((event) => (event.type === 'serial.log' && event.direction === 'sent' ? [event.text] : []));
}

describe('the safety guard on the wire', () => {
  it.each([
    ['M104 T1 S3.1e2', 'a hotend of tool 1 at 310 °C in exponent form'],
    ['m140 s+150', 'the bed at 150 °C in lower case with a plus sign'],
  ])('refuses %s in a file (%s) before any of it is written, and stops the job there', async (line) => {
    const path = join(dir, 'hot.gcode');
    const before = Array.from({ length: 50 }, (_, i) => `G1 X${10 + i} Y10 F3000`);
    await writeFile(path, [...before, line, 'G1 X99 Y99', 'M400', ''].join('\n'));
    printer = await startVirtualPrinter({ baud: 0, latencyMs: 0, profile: '32bit', timeScale: 1000 });
    host = await connect(printer.address, testLink({ flowControl: 'pingpong' }), true);

    const result = await host.worker.print({ id: 'hot', path });

    expect(result).toMatchObject({ status: 'failed', code: 'temperature-above-cap' });
    expect(sentLines(host).some((sent) => sent.toLowerCase().includes(line.toLowerCase()))).toBe(false);
    const executed = printer.executedCommands();
    expect(executed.some((command) => command.toLowerCase() === line.toLowerCase())).toBe(false);
    expect(executed).not.toContain('G1 X99 Y99');
    expect(executed.filter((command) => command.startsWith('G1 X'))).toEqual(before);
  });

  it('refuses a direct over-limit command with its reason and never writes it, and lets a safe one through', async () => {
    printer = await startVirtualPrinter({ baud: 0, latencyMs: 0, profile: '32bit', timeScale: 1000 });
    host = await connect(printer.address, testLink({}), true);

    const refused = await host.worker.sendCommand('M140 S150');
    expect(refused).toMatchObject({ ok: false, code: 'temperature-above-cap' });
    expect(refused.ok ? '' : refused.reason).toMatch(/150/);
    const allowed = await host.worker.sendCommand('M140 S60');
    expect(allowed.ok).toBe(true);

    expect(sentLines(host).some((sent) => sent.includes('S150'))).toBe(false);
    expect(printer.executedCommands()).toContain('M140 S60');
    expect(printer.executedCommands()).not.toContain('M140 S150');
  });
});

describe('emergency stop', () => {
  it.each(['window', 'pingpong'] as const)('reaches the printer ahead of every queued line (%s)', async (flow) => {
    const path = join(dir, `circle-${flow}.gcode`);
    await writeFile(path, tinySegmentGcode({ segments: 5000 }));
    // A real-time AVR printer with the emergency parser: the file would take many seconds.
    printer = await startVirtualPrinter({ baud: 250000, latencyMs: 1, profile: 'avr', emergencyParser: true });
    host = await connect(printer.address, testLink({ flowControl: flow, communicationTimeoutMs: 5000 }), true);

    const job = host.worker.print({ id: 'circle', path });
    await new Promise<void>((resolve) => {
      const off = host!.worker.subscribe((event) => {
        if (event.type === 'job.progress' && event.acknowledgedLines >= 100) {
          off();
          resolve();
        }
      });
    });
    const sentBefore = sentLines(host).length;
    host.worker.emergencyStop();
    const result = await job;
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(result).toMatchObject({ status: 'interrupted', code: 'emergency_stop' });
    // The first thing written after the request is the stop itself; no file line follows it.
    const after = sentLines(host).slice(sentBefore);
    expect(after[0]).toMatch(/^M112/);
    expect(after.some((sent) => /G1 X/.test(sent))).toBe(false);
    expect(printer.stats().state).toBe('halted');
    // The printer executed at most the lines already on the wire when the stop was requested.
    const executedMoves = printer.executedCommands().filter((command) => command.startsWith('G1 X')).length;
    const sentMoves = sentLines(host).slice(0, sentBefore).filter((sent) => / G1 X/.test(sent)).length;
    expect(executedMoves).toBeLessThanOrEqual(sentMoves);
    expect(executedMoves).toBeLessThan(5000);
  });
});
