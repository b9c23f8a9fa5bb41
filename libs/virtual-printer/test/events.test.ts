import { describe, expect, it } from 'vitest';
import { parseCli } from '../src/cli/parse-args.js';
import { defaultConfig } from '../src/config/printer-config.js';
import { Firmware } from '../src/firmware/firmware.js';
import type { HaltCause } from '../src/firmware/replies/index.js';
import { epochOf, formatChildEventLine, parseChildEventLine, type ChildPrinterEvent } from '../src/runtime/child-events.js';

describe('printer events (--events)', () => {
  it('reports an M112 the moment its line end arrives on the wire, once', () => {
    const halts: { cause: HaltCause; at: number }[] = [];
    const firmware = new Firmware({
      config: defaultConfig({ baud: 250000, latencyMs: 16, emergencyParser: true, bootMs: 0 }),
      onHalt: (cause, at) => halts.push({ cause, at }),
    });
    firmware.hostBytes(Buffer.from('M112\n'), 1000);
    firmware.advance(2000);
    firmware.hostBytes(Buffer.from('M112\n'), 2000);
    firmware.advance(3000);
    // 5 bytes at 250000 baud, 10 bits each: 0.2 ms after they were written.
    expect(halts.map((h) => h.cause)).toEqual(['m112']);
    expect(halts[0]!.at).toBeCloseTo(1000.2, 6);
    expect(firmware.state).toBe('halted');
  });

  it('turns on with --events', () => {
    const plan = parseCli(['--link', '/tmp/a', '--events']);
    const plain = parseCli(['--link', '/tmp/a']);
    if (plan === 'help' || plain === 'help') throw new Error('unexpected help');
    expect([plan.events, plain.events]).toEqual([true, false]);
  });

  it('writes and reads event lines, with the printer clock turned into epoch ms', () => {
    const event: ChildPrinterEvent = { printer: 3, type: 'halted', cause: 'm112', at: epochOf(500, 520, 1_700_000_000_020) };
    expect(event.at).toBe(1_700_000_000_000);
    expect(parseChildEventLine(formatChildEventLine(event))).toEqual(event);
    expect(parseChildEventLine('VP_READY {}')).toBeUndefined();
  });
});
