import { frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { InboundWire } from '../src/link/inbound-wire.js';
import { SerialReceiver } from '../src/firmware/serial-receiver.js';
import { SimHarness } from './sim-harness.js';

const booted = (config: ConstructorParameters<typeof SimHarness>[0] = {}): SimHarness => {
  const h = new SimHarness({ bootMs: 0, latencyMs: 1, ...config });
  h.drain();
  return h;
};

describe('receive buffer', () => {
  it('loses the bytes that find the 128-byte ring full', () => {
    const rx = new SerialReceiver(128, 95);
    let kept = 0;
    for (let i = 0; i < 200; i++) if (rx.receive(65)) kept++;
    expect(kept).toBe(128);
    expect(rx.dropped).toBe(72);
  });

  it("applies Marlin's input filter: comments, escapes, CR or LF, empty lines", () => {
    const rx = new SerialReceiver(128, 95);
    for (const b of Buffer.from('G1 X1 ; move\r\n\nM117 a\\;b\n')) rx.receive(b);
    expect(rx.readLine()).toBe('G1 X1 ');
    expect(rx.readLine()).toBe('M117 a;b');
    expect(rx.readLine()).toBeUndefined();
  });

  it('paces host bytes at 10 bits per byte', () => {
    const wire = new InboundWire(10_000 / 115_200, 0);
    wire.push(Buffer.from('M105\n'), 0);
    const got: number[] = [];
    wire.deliver(0.2, (b) => got.push(b));
    expect(got).toHaveLength(2);
    expect(wire.nextLineEndAt()).toBeCloseTo((5 * 10_000) / 115_200, 6);
  });

  it('drops a window that overflows the ring while the queue is full, and asks for the lost line', () => {
    const h = booted({ timeScale: 1 });
    let burst = '';
    for (let n = 1; n <= 30; n++) burst += `${frameLine(n, `G1 X${n} Y${n} F600`)}\n`;
    h.send(burst);
    h.run(60_000);
    const stats = h.firmware.stats();
    expect(stats.counters.bytesDroppedOverflow).toBeGreaterThan(0);
    expect(h.lines().some((l) => l.startsWith('Resend: ') || l.startsWith('echo:Unknown command'))).toBe(true);
  });

  it('never drops a 127-byte window', () => {
    const h = booted({ timeScale: 50 });
    let n = 1;
    for (let round = 0; round < 40; round++) {
      const lines = [frameLine(n, `G1 X${n % 50} F3000`), frameLine(n + 1, `G1 Y${n % 50} F3000`), frameLine(n + 2, 'G1 Z0.2')];
      n += 3;
      h.send(`${lines.join('\n')}\n`);
      h.runUntil((l) => l.filter((x) => x === 'ok').length >= n - 1);
    }
    expect(h.firmware.stats().counters.bytesDroppedOverflow).toBe(0);
    expect(h.executed()).toHaveLength(120);
  });
});
