import { frameLine } from '@farm/gcode';
import { describe, expect, it } from 'vitest';
import { SimHarness } from './sim-harness.js';

/**
 * The default AVR profile against the measurements in marlin-real-replies.md
 * (stock Marlin, 250000 baud, no USB latency, short G1 lines): one line in
 * flight ~141 lines/s, 2–8 lines or ≤127 bytes in flight 157–159 lines/s.
 * Simulated time with an instant host, so the figures are deterministic.
 */
function linesPerSecond(windowBytes: number, latencyMs = 0): number {
  const h = new SimHarness({ bootMs: 0, latencyMs });
  h.drain();
  const lines = Array.from({ length: 300 }, (_, i) => `${frameLine(i + 1, `G1 X${(10 + (i % 100) * 0.1).toFixed(1)} Y10 F6000`)}\n`);
  const inFlight: number[] = [];
  let sent = 0;
  let acked = 0;
  let bytes = 0;
  const start = h.now;
  while (acked < lines.length) {
    for (;;) {
      const next = lines[sent];
      if (next === undefined) break;
      if (windowBytes === 0 ? inFlight.length > 0 : bytes + next.length > windowBytes) break;
      h.send(next);
      inFlight.push(next.length);
      bytes += next.length;
      sent++;
    }
    h.runUntil((got) => got.length > 0, 1000);
    for (const line of h.drain()) {
      if (!line.startsWith('ok')) continue;
      acked++;
      bytes -= inFlight.shift() ?? 0;
    }
  }
  return (lines.length * 1000) / (h.now - start);
}

describe('calibration of the AVR profile', () => {
  it('one line in flight runs near the measured 141 lines/s', () => {
    const rate = linesPerSecond(0);
    expect(rate).toBeGreaterThan(130);
    expect(rate).toBeLessThan(152);
  });

  it('a 127-byte window runs near the measured 157–159 lines/s', () => {
    const rate = linesPerSecond(127);
    expect(rate).toBeGreaterThan(150);
    expect(rate).toBeLessThan(162);
  });

  it('16 ms of USB latency cuts one line in flight to about a third', () => {
    const rate = linesPerSecond(0, 16);
    expect(rate).toBeGreaterThan(35);
    expect(rate).toBeLessThan(55);
  });
});
