import { fileURLToPath } from 'node:url';
import { readGcodeLines } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { PrinterLink } from '../src/driver.js';
import type { Clock, Transport } from '../src/driver.js';
import type { LinkEvent } from '../src/engine/types.js';

const FILE = fileURLToPath(new URL('../../../../shared/gcode/prusaslicer-2.8.1_mk4s_mini-cube.gcode', import.meta.url));

/** A firmware double behind the transport: checks numbering, answers ok, records what it executed. */
class FakeFirmware implements Transport {
  executed: string[] = [];
  raw: string[] = [];
  failWritesAfter = Infinity;
  closedBy: string | null = null;
  private handlers: { data(chunk: Uint8Array): void; closed(reason?: string): void } | null = null;
  private buffer = '';
  private lastN = 0;

  setHandlers(handlers: { data(chunk: Uint8Array): void; closed(reason?: string): void }): void {
    this.handlers = handlers;
  }

  write(data: Uint8Array): Promise<void> {
    if (this.raw.length >= this.failWritesAfter) return Promise.reject(new Error('EIO'));
    this.buffer += new TextDecoder().decode(data);
    let end: number;
    while ((end = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 1);
      if (line !== '') this.handle(line);
    }
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closedBy = 'host';
    this.handlers?.closed('closed by host');
    return Promise.resolve();
  }

  private handle(line: string): void {
    this.raw.push(line);
    const match = /^N(\d+) (.*)\*\d+$/.exec(line);
    const command = match ? (match[2] ?? '') : line;
    if (match) {
      const n = Number(match[1]);
      if (!command.startsWith('M110') && n !== this.lastN + 1) throw new Error(`out of sequence: ${line}`);
      this.lastN = command.startsWith('M110') ? 0 : n;
    }
    this.executed.push(command);
    const replies =
      command === 'M115'
        ? ['FIRMWARE_NAME:Marlin 2.1.2', 'Cap:AUTOREPORT_TEMP:1', 'Cap:ADVANCED_OK:0', 'ok']
        : command === 'M105'
          ? ['ok T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0']
          : ['ok'];
    // Answer later, as a real port would.
    queueMicrotask(() => this.handlers?.data(new TextEncoder().encode(replies.map((r) => `${r}\n`).join(''))));
  }
}

const idleClock: Clock = { setTimeout: () => ({}), clearTimeout: () => undefined };

async function ready(link: PrinterLink): Promise<void> {
  await new Promise<void>((resolve) => {
    const off = link.on((event) => {
      if (event.type === 'connection.state' && event.phase === 'ready') {
        off();
        resolve();
      }
    });
    link.open();
  });
}

describe('PrinterLink driver', () => {
  it('prints a real sliced file through a transport: every command once, in order', async () => {
    const firmware = new FakeFirmware();
    const link = new PrinterLink({ transport: firmware, clock: idleClock, config: { bootWaitMs: 0, flowControl: 'window', maxLineBytes: 0 } });
    const events: LinkEvent[] = [];
    link.on((event) => events.push(event));
    await ready(link);
    const expected: string[] = [];
    for await (const line of readGcodeLines(FILE)) expected.push(line.command);
    firmware.executed = [];
    const result = await link.startJob({ id: 'cube', lines: readGcodeLines(FILE) });
    expect(result).toEqual({ status: 'completed', lines: expected.length });
    // Without ADVANCED_OK the engine adds an M105 sync marker every 50 lines.
    const ran = firmware.executed.slice(1).filter((command) => command !== 'M105');
    expect(ran).toEqual(expected.filter((command) => command !== 'M105').map((command) => command.replace(/[^\x20-\x7e]/g, '?')));
    expect(events.filter((e) => e.type === 'job.progress').at(-1)).toMatchObject({ acknowledgedLines: expected.length });
  });

  it('answers direct commands', async () => {
    const firmware = new FakeFirmware();
    const link = new PrinterLink({ transport: firmware, clock: idleClock, config: { bootWaitMs: 0 } });
    await ready(link);
    await expect(link.sendCommand('M400')).resolves.toEqual({ ok: true, lines: [] });
  });

  it('ends the job as interrupted with the last acknowledged position when a write fails', async () => {
    const firmware = new FakeFirmware();
    const link = new PrinterLink({ transport: firmware, clock: idleClock, config: { bootWaitMs: 0 } });
    await ready(link);
    firmware.failWritesAfter = firmware.raw.length + 6;
    const result = await link.startJob({ id: 'j', lines: readGcodeLines(FILE) });
    expect(result).toMatchObject({ status: 'interrupted', code: 'disconnected' });
    expect(result.status === 'interrupted' && result.at?.fileLine).toBeGreaterThan(0);
  });

  it('writes the emergency stop at once', async () => {
    const firmware = new FakeFirmware();
    const link = new PrinterLink({ transport: firmware, clock: idleClock, config: { bootWaitMs: 0 } });
    await ready(link);
    link.emergencyStop();
    expect(firmware.raw.slice(-2)).toEqual(['M112', expect.stringMatching(/^N\d+ M112\*\d+$/)]);
    expect(link.snapshot.phase).toBe('halted');
  });

  it('runs engine timers on the injected clock', () => {
    const set: { ms: number; fire: () => void }[] = [];
    const clock: Clock = { setTimeout: (fire, ms) => set.push({ fire, ms }), clearTimeout: () => undefined };
    const firmware = new FakeFirmware();
    const link = new PrinterLink({ transport: firmware, clock, config: { bootWaitMs: 1500 } });
    link.open();
    expect(firmware.raw).toEqual([]);
    expect(set.map((t) => t.ms)).toEqual([1500]);
    set[0]?.fire();
    expect(firmware.raw).toEqual(['N0 M110 N0*125']);
  });
});
