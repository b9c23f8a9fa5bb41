import { describe, expect, it } from 'vitest';
import { cleanLine, parseWords } from '../line/index.js';
import type { MotionLimits } from './motion-limits.js';
import { PrintTimeEstimator } from './print-time-estimator.js';

/** Limits where corners always stop (zero jerk) and nothing but `accel` limits motion. */
const STOPPING: Partial<MotionLimits> = {
  firmware: 'marlin',
  junction: 'jerk',
  maxJerk: { x: 0, y: 0, z: 0, e: 0 },
  maxFeedrate: { x: 1e6, y: 1e6, z: 1e6, e: 1e6 },
  maxAcceleration: { x: 1e6, y: 1e6, z: 1e6, e: 1e6 },
  printAcceleration: 1000,
  travelAcceleration: 1000,
  retractAcceleration: 1000,
  homingSeconds: 0,
};

function run(
  gcode: string,
  limits: Partial<MotionLimits> = STOPPING,
): { seconds: number; layerStartSeconds: number[] } {
  const estimator = new PrintTimeEstimator(limits);
  for (const raw of gcode.split('\n')) {
    if (raw.startsWith(';LAYER')) estimator.markLayer();
    const line = cleanLine(raw);
    if (line) estimator.feed(parseWords(line));
  }
  return estimator.finish();
}

describe('PrintTimeEstimator motion model', () => {
  it('times a single long move as a trapezoid', () => {
    expect(run('G1 X100 F3000').seconds).toBeCloseTo(2.05, 6);
  });

  it('passes a straight junction at full speed', () => {
    const split = run('G1 X50 F3000\nG1 X100').seconds;
    expect(split).toBeCloseTo(2.05, 6);
  });

  it('stops at a 90° corner when jerk is zero, and slows at it with classic jerk', () => {
    const corner = 'G1 X50 F3000\nG1 X50 Y50';
    const single = run('G1 X50 F3000').seconds;
    expect(run(corner).seconds).toBeCloseTo(2 * single, 6);
    const withJerk = run(corner, { ...STOPPING, maxJerk: { x: 10, y: 10, z: 0.4, e: 5 } }).seconds;
    expect(withJerk).toBeLessThan(2 * single);
    expect(withJerk).toBeGreaterThan(run('G1 X100 F3000').seconds);
  });

  it('limits a corner by Klipper square corner velocity', () => {
    const corner =
      'SET_VELOCITY_LIMIT ACCEL=1000 ACCEL_TO_DECEL=1000 SQUARE_CORNER_VELOCITY=5\nG1 X50 F3000\nG1 X50 Y50';
    const slowCorner = run(corner).seconds;
    const fastCorner = run(corner.replace('VELOCITY=5', 'VELOCITY=40')).seconds;
    expect(fastCorner).toBeLessThan(slowCorner);
    // Each leg: ramp 0→50, cruise, ramp 50→5 into (or 5→50 out of) the corner.
    const ramp = (from: number, to: number): number => (to - from) / 1000;
    const rampDistance = (from: number, to: number): number => (to * to - from * from) / 2000;
    const leg = ramp(0, 50) + ramp(5, 50) + (50 - rampDistance(0, 50) - rampDistance(5, 50)) / 50;
    expect(slowCorner).toBeCloseTo(2 * leg, 6);
  });

  it('limits a corner by Marlin junction deviation once M205 J is given', () => {
    // 90° corner, JD 0.02 mm, 1000 mm/s²: v² = a·JD·sin(45°)/(1 − sin(45°)).
    const sinHalf = Math.SQRT1_2;
    const corner = Math.sqrt((1000 * 0.02 * sinHalf) / (1 - sinHalf));
    const leg = 50 / 1000 + (50 - corner) / 1000 + (50 - 1.25 - (2500 - corner * corner) / 2000) / 50;
    expect(run('M205 J0.02\nG1 X50 F3000\nG1 X50 Y50').seconds).toBeCloseTo(2 * leg, 6);
  });

  it('respects per-axis feedrate caps (M203) and RRF units', () => {
    expect(
      run('M203 X10\nG1 X100 F6000', { ...STOPPING, printAcceleration: 1e9, travelAcceleration: 1e9 }).seconds,
    ).toBeCloseTo(10, 3);
    const rrf = { ...STOPPING, firmware: 'reprapfirmware' as const, printAcceleration: 1e9, travelAcceleration: 1e9 };
    expect(run('M203 X600\nG1 X100 F6000', rrf).seconds).toBeCloseTo(10, 3);
  });

  it('follows M204 accelerations for printing and travel moves', () => {
    const print = run('M83\nM204 P500 T2000\nG1 X100 E5 F3000').seconds;
    const travel = run('M83\nM204 P500 T2000\nG1 X100 F3000').seconds;
    expect(print).toBeCloseTo(2 + 50 / 500, 6);
    expect(travel).toBeCloseTo(2 + 50 / 2000, 6);
  });

  it('measures the arc, not the chord, for I/J and R forms', () => {
    const fast = {
      ...STOPPING,
      printAcceleration: 1e9,
      travelAcceleration: 1e9,
      maxJerk: { x: 1e6, y: 1e6, z: 1e6, e: 1e6 },
    };
    // Half circle of radius 10 at 10 mm/s: π·10 mm.
    expect(run('G1 X0 Y0 F600\nG2 X20 Y0 I10 J0', fast).seconds).toBeCloseTo(Math.PI, 2);
    expect(run('G1 X0 Y0 F600\nG3 X20 Y0 R10', fast).seconds).toBeCloseTo(Math.PI, 2);
    // Full circle: start = end with I/J.
    expect(run('G1 X0 Y0 F600\nG3 X0 Y0 I10 J0', fast).seconds).toBeCloseTo(2 * Math.PI, 2);
  });

  it('handles relative and absolute coordinates, G92 and F-only lines', () => {
    const fast = { ...STOPPING, printAcceleration: 1e9, travelAcceleration: 1e9, retractAcceleration: 1e9 };
    expect(run('G91\nG1 X10 F600\nG1 X10\nG90\nG1 X20', fast).seconds).toBeCloseTo(2, 3);
    expect(run('G1 F600\nG92 X50\nG1 X60', fast).seconds).toBeCloseTo(1, 3);
    // Extruder-only move (retraction) takes |ΔE| / feedrate; M82 absolute E.
    expect(run('M82\nG1 E5 F600\nG1 E5', fast).seconds).toBeCloseTo(0.5, 3);
  });

  it('adds dwells (G4 P ms, S s) and homing allowance but not heat-up waits', () => {
    expect(run('G4 P500\nG4 S2\nM109 S200\nM190 S60').seconds).toBeCloseTo(2.5, 6);
    expect(run('G28', { ...STOPPING, homingSeconds: 12 }).seconds).toBe(12);
  });

  it('applies the M220 feed override', () => {
    const fast = { ...STOPPING, printAcceleration: 1e9, travelAcceleration: 1e9 };
    expect(run('M220 S50\nG1 X100 F6000', fast).seconds).toBeCloseTo(2, 3);
  });

  it('counts tool changes with the profile allowance, not the first tool selection', () => {
    const estimator = new PrintTimeEstimator({ ...STOPPING, toolChangeSeconds: 27 });
    for (const line of ['T0', 'T0', 'T1', 'T0']) estimator.feed(parseWords(line));
    const result = estimator.finish();
    expect(result.toolChanges).toBe(2);
    expect(result.seconds).toBe(54);
  });

  it('takes the tool-change allowance late, and shifts later layers by it', () => {
    const estimator = new PrintTimeEstimator(STOPPING);
    const feed = (line: string): void => estimator.feed(parseWords(line));
    feed('T0');
    estimator.markLayer();
    feed('G1 X100 F3000');
    feed('T1');
    estimator.markLayer();
    feed('G1 X0');
    estimator.setToolChangeSeconds(27);
    const result = estimator.finish();
    expect(result.seconds).toBeCloseTo(2 * 2.05 + 27, 6);
    expect(result.layerStartSeconds[0]).toBe(0);
    expect(result.layerStartSeconds[1]).toBeCloseTo(2.05 + 27, 6);
  });

  it('records when each marked layer starts', () => {
    const result = run(';LAYER:0\nG1 X100 F3000\nG4 S1\n;LAYER:1\nG1 X0\n;LAYER:2\nG1 X100');
    expect(result.layerStartSeconds).toHaveLength(3);
    expect(result.layerStartSeconds[0]).toBe(0);
    expect(result.layerStartSeconds[1]).toBeCloseTo(3.05, 6);
    expect(result.layerStartSeconds[2]).toBeCloseTo(5.1, 6);
    expect(result.seconds).toBeCloseTo(7.15, 6);
  });

  it('gives the same result over many moves as the window slides', () => {
    const zigzag = Array.from({ length: 1000 }, (_, i) => `G1 X${i % 2 === 0 ? 10 : 0} Y${i * 0.1} F6000`).join('\n');
    const a = run(zigzag, { ...STOPPING, maxJerk: { x: 8, y: 8, z: 0.4, e: 5 } }).seconds;
    const b = run(zigzag, { ...STOPPING, maxJerk: { x: 8, y: 8, z: 0.4, e: 5 } }).seconds;
    expect(a).toBe(b);
    expect(a).toBeGreaterThan((1000 * 10) / 100);
  });

  it('times moves given as numeric words exactly as the same moves given as commands', () => {
    const gcode = 'G1 X10 Y5 F3000\nG1 X20 E1.5\nG91\nG1 Y-3 E0.2\nG2 X5 Y5 I5 J0 E0.4\nG0 Z1 F600';
    const limits = { ...STOPPING, maxJerk: { x: 8, y: 8, z: 0.4, e: 5 } };
    const byWords = new PrintTimeEstimator(limits);
    for (const line of gcode.split('\n')) {
      const words = parseWords(line);
      const code = Number(words.code);
      if (words.letter === 'G' && code <= 3) {
        const at = (k: string): number => (typeof words.params[k] === 'number' ? words.params[k] : Number.NaN);
        const w = { x: at('X'), y: at('Y'), z: at('Z'), e: at('E'), f: at('F'), i: at('I'), j: at('J'), r: at('R') };
        byWords.move(code as 0 | 1 | 2 | 3, w);
      } else byWords.feed(words);
    }
    const seconds = byWords.finish().seconds;
    expect(seconds).toBeGreaterThan(0.5);
    expect(seconds).toBe(run(gcode, limits).seconds);
  });
});
