import { describe, expect, it } from 'vitest';
import { FaultSpecError, parseFaultSpec } from '../src/faults/fault-spec.js';
import { BED, HOTEND, Heater, OVERSHOOT_C } from '../src/firmware/heater.js';
import { SimHarness } from './sim-harness.js';

/** Runs a heater model for `seconds` of printer time in 1 s updates; returns the temperature after each. */
function run(heater: Heater, fromS: number, seconds: number): number[] {
  const out: number[] = [];
  for (let s = 1; s <= seconds; s++) {
    heater.update(fromS + s);
    out.push(heater.temperature);
  }
  return out;
}

function hotend(): Heater {
  const h = new Heater(HOTEND, 25);
  h.update(0);
  return h;
}

describe('heater fault spec', () => {
  it('reads the heater and the trigger, next to line faults', () => {
    expect(
      parseFaultSpec('corrupt=0.01,heater-stuck-on,heater-failed=bed@heat,reports-stop@reached,overshoot@line=40,sensor-frozen=hotend@7'),
    ).toEqual({
      rates: { corrupt: 0.01 },
      atLines: [],
      seed: 1,
      heaters: [
        { kind: 'heater-stuck-on', heater: 'hotend', trigger: { at: 'power-on' } },
        { kind: 'heater-failed', heater: 'bed', trigger: { at: 'heat' } },
        { kind: 'reports-stop', heater: 'hotend', trigger: { at: 'reached' } },
        { kind: 'overshoot', heater: 'hotend', trigger: { at: 'line', line: 40 } },
        { kind: 'sensor-frozen', heater: 'hotend', trigger: { at: 'line', line: 7 } },
      ],
    });
  });

  it('leaves heater faults out of a spec that names none', () => {
    expect(parseFaultSpec('reset@3')).not.toHaveProperty('heaters');
  });

  it('refuses a rate, an unknown heater and an unknown trigger', () => {
    expect(() => parseFaultSpec('heater-stuck-on=0.5')).toThrow(/not "0.5"/);
    expect(() => parseFaultSpec('heater-failed=chamber')).toThrow(FaultSpecError);
    expect(() => parseFaultSpec('overshoot@later')).toThrow(/unknown trigger/);
    expect(() => parseFaultSpec('heater-melted=0.1')).toThrow(/known: .*heater-stuck-on/);
  });
});

describe('heater model under each fault', () => {
  it('without a fault, holds its target within a degree', () => {
    const h = hotend();
    h.target = 200;
    const temps = run(h, 0, 120);
    expect(Math.abs(temps.at(-1)! - 200)).toBeLessThan(1);
  });

  it('stuck on: with target 0 it keeps rising, past any hotend maximum', () => {
    const h = hotend();
    h.inject('stuck-on');
    const temps = run(h, 0, 60);
    expect(h.target).toBe(0);
    expect(h.pwm).toBe(127);
    for (let i = 1; i < temps.length; i++) expect(temps[i]!).toBeGreaterThan(temps[i - 1]!);
    expect(temps.at(-1)!).toBeGreaterThan(300);
    // Cutting the target (as M112 does) changes nothing: the power stage is stuck.
    h.target = 0;
    h.reset();
    expect(run(h, 60, 5).at(-1)!).toBeGreaterThan(temps.at(-1)!);
  });

  it('failed: the firmware drives it at full power and it never warms; once hot, it falls away', () => {
    const cold = hotend();
    cold.inject('failed');
    cold.target = 200;
    expect(run(cold, 0, 60).at(-1)).toBe(25);
    expect(cold.pwm).toBe(127);

    const hot = hotend();
    hot.target = 200;
    run(hot, 0, 120);
    hot.inject('failed');
    const falling = run(hot, 120, 30);
    expect(falling.at(-1)!).toBeLessThan(150);
  });

  it('sensor frozen: the reading stays put while the real temperature runs away', () => {
    const h = hotend();
    h.inject('frozen');
    h.target = 200;
    run(h, 0, 120);
    expect(h.sensed).toBe(25);
    expect(h.temperature).toBeGreaterThan(350);
  });

  it('overshoot: holds well past the target', () => {
    const h = hotend();
    h.inject('overshoot');
    h.target = 200;
    const temps = run(h, 0, 180);
    expect(temps.at(-1)!).toBeGreaterThan(200 + OVERSHOOT_C - 2);
  });

  it('arms a fault for the first heat or the first time the target is reached', () => {
    const bed = new Heater(BED, 25);
    bed.update(0);
    let heated = 0;
    let reached = 0;
    bed.whenHeated(() => heated++);
    bed.whenReached(() => reached++);
    bed.target = 0;
    expect(heated).toBe(0);
    bed.target = 60;
    expect(heated).toBe(1);
    const temps = run(bed, 0, 300);
    expect(reached).toBe(1);
    expect(temps.at(-1)!).toBeGreaterThan(59);
    bed.target = 70;
    run(bed, 300, 300);
    expect([heated, reached]).toEqual([1, 1]);
  });
});

/** Auto-report and M105 lines: `T:<actual> /<target> B:<actual> /<target>`. */
function readings(lines: string[]): { t: number; tTarget: number; b: number }[] {
  const out: { t: number; tTarget: number; b: number }[] = [];
  for (const line of lines) {
    const m = /T:([\d.]+) \/([\d.]+) B:([\d.]+)/.exec(line);
    if (m) out.push({ t: Number(m[1]), tTarget: Number(m[2]), b: Number(m[3]) });
  }
  return out;
}

function printer(spec: string): SimHarness {
  const h = new SimHarness({ bootMs: 0, latencyMs: 0, baud: 0, timeScale: 10 }, parseFaultSpec(spec));
  h.drain();
  h.send('M155 S1\n');
  return h;
}

describe('heater faults in the firmware', () => {
  it('a bed stuck on from power-on: the bed climbs with no target, the hotend stays cold', () => {
    const h = printer('heater-stuck-on=bed');
    h.run(6000);
    const r = readings(h.lines());
    expect(r.length).toBeGreaterThan(50);
    expect(r.at(-1)!.b).toBeGreaterThan(r[0]!.b + 30);
    expect(r.at(-1)!.t).toBe(25);
  });

  it('reports stop once the hotend reaches its target; the firmware runs on and M105 still answers', () => {
    const h = printer('reports-stop@reached');
    h.send('M104 S200\n');
    h.run(6000);
    const before = readings(h.drain());
    expect(before.some((r) => r.tTarget === 200 && r.t < 150)).toBe(true);
    // The last report came within a second (of printer time) of reaching the target.
    expect(before.at(-1)!.t).toBeGreaterThan(185);
    h.run(3000);
    expect(readings(h.drain())).toEqual([]);
    h.send('G1 X10 F6000\nM105\n');
    h.run(100);
    const lines = h.drain();
    expect(lines[0]).toBe('ok');
    expect(lines[1]).toMatch(/^ok T:\d+\.\d+ \/200\.00/);
  });

  it('a hotend that fails on reaching its target falls away from it in the reports', () => {
    const h = printer('heater-failed@reached');
    h.send('M104 S200\n');
    h.run(8000);
    const r = readings(h.lines());
    const peak = Math.max(...r.map((x) => x.t));
    expect(peak).toBeGreaterThan(198);
    expect(r.at(-1)!.t).toBeLessThan(peak - 40);
    expect(r.at(-1)!.tTarget).toBe(200);
  });

  it('overshoot from a line on: reports hold far above the target', () => {
    const h = printer('overshoot@line=2');
    h.send('M104 S200\n');
    h.run(10_000);
    expect(readings(h.lines()).at(-1)!.t).toBeGreaterThan(220);
  });

  it('a sensor frozen on first heat keeps reporting the temperature it had then', () => {
    const h = printer('sensor-frozen@heat');
    h.run(500);
    h.send('M104 S200\n');
    h.run(5000);
    const r = readings(h.lines()).filter((x) => x.tTarget === 200);
    expect(r.length).toBeGreaterThan(10);
    expect(new Set(r.map((x) => x.t))).toEqual(new Set([25]));
  });
});
