import { describe, expect, it } from 'vitest';
import { trapezoidTime } from './trapezoid.js';

describe('trapezoidTime', () => {
  it('times a long move that reaches cruise speed: ramp up, cruise, ramp down', () => {
    // 100 mm at 50 mm/s, 1000 mm/s²: each ramp 0.05 s over 1.25 mm, 97.5 mm cruise = 1.95 s.
    expect(trapezoidTime(100, 0, 0, 50, 1000)).toBeCloseTo(2.05, 10);
  });

  it('times a move too short to reach cruise speed as a triangle', () => {
    // 1 mm from rest to rest at 1000 mm/s²: peak √(a·d) = 31.62 mm/s, time 2·peak/a.
    expect(trapezoidTime(1, 0, 0, 100, 1000)).toBeCloseTo((2 * Math.sqrt(1000)) / 1000, 10);
  });

  it('uses the entry and exit speeds', () => {
    // Entering and leaving at cruise speed: plain distance / speed.
    expect(trapezoidTime(10, 50, 50, 50, 1000)).toBeCloseTo(0.2, 10);
    // Entering at 20, ramping to 50 (1.05 mm), cruising, stopping (1.25 mm).
    expect(trapezoidTime(10, 20, 0, 50, 1000)).toBeCloseTo(0.03 + 0.05 + (10 - 1.05 - 1.25) / 50, 10);
  });

  it('lowers the peak of short moves with a smaller accel-to-decel (Klipper)', () => {
    const full = trapezoidTime(1, 0, 0, 100, 1000);
    const smoothed = trapezoidTime(1, 0, 0, 100, 1000, 500);
    expect(smoothed).toBeGreaterThan(full);
    // Peak √(500·1) = 22.36 mm/s: ramps of 0.02236 s (0.25 mm each), 0.5 mm cruise.
    const peak = Math.sqrt(500);
    expect(smoothed).toBeCloseTo((2 * peak) / 1000 + 0.5 / peak, 10);
  });

  it('is zero for an empty move', () => {
    expect(trapezoidTime(0, 0, 0, 50, 1000)).toBe(0);
  });
});
