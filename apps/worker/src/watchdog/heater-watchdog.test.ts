import { describe, expect, it } from 'vitest';
import { initialWatchdog, stepWatchdog, type WatchdogState } from './heater-watchdog.js';
import { watchdogConfig, WatchdogConfigError, type WatchdogConfig } from './watchdog-config.js';
import type { HeaterReading, WatchdogAction, WatchdogEvent } from './watchdog-types.js';

const config = watchdogConfig({ T0: 260, B: 110 });
const S = 1000;
const MIN = 60 * S;

/** Feeds events in order; returns every action with the time it came at. */
function run(events: WatchdogEvent[], cfg: WatchdogConfig = config): { actions: Array<WatchdogAction & { at: number }>; state: WatchdogState } {
  let state = initialWatchdog(0);
  const actions: Array<WatchdogAction & { at: number }> = [];
  for (const event of events) {
    const step = stepWatchdog(state, event, cfg);
    state = step.state;
    actions.push(...step.actions.map((a) => ({ ...a, at: event.at })));
  }
  return { actions, state };
}

/** Deterministic ±amplitude noise, as a thermistor on a real board shows. */
const noise = (i: number, amplitude: number): number => amplitude * Math.sin(i * 12.9898) * Math.cos(i * 4.1414);

/** One reading per second from `from` (inclusive) for `seconds`, each heater's temperature from a function of t. */
function readings(from: number, seconds: number, heaters: Record<string, (t: number, i: number) => HeaterReading['actualC']>, targets: Record<string, number>): WatchdogEvent[] {
  const events: WatchdogEvent[] = [];
  for (let i = 0; i < seconds; i++) {
    const at = from + i * S;
    events.push({
      type: 'temperatures',
      at,
      readings: Object.entries(heaters).map(([heater, f]) => ({ heater, actualC: f(at, i), targetC: targets[heater] ?? 0 })),
    });
  }
  return events;
}

const reasons = (actions: WatchdogAction[]): string[] => actions.map((a) => (a.type === 'emergency-stop' ? a.alarm.reason : a.reason));

describe('heater watchdog: normal operation raises nothing', () => {
  it('heats the hotend to 200 and the bed to 60 on a realistic curve, then holds with noise', () => {
    const hot = (t: number, i: number) => 200 - 175 * Math.exp(-t / (10 * S)) + noise(i, 0.5);
    const bed = (t: number, i: number) => 60 - 35 * Math.exp(-t / (60 * S)) + noise(i, 0.3);
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 15 * 60, { T0: hot, B: bed }, { T0: 200, B: 60 })];
    expect(run(events).actions).toEqual([]);
  });

  it('lets a heater cool after its target is lowered, without calling it over target', () => {
    // 240 → 200: 40 °C above the new target at first, cooling at about 1 °C/s.
    const cooling = (t: number, i: number) => Math.max(200, 240 - (t - 60 * S) / S) + noise(i, 0.4);
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 60, { T0: (_t, i) => 240 + noise(i, 0.4) }, { T0: 240 }),
      ...readings(60 * S, 120, { T0: cooling }, { T0: 200 }),
    ];
    expect(run(events).actions).toEqual([]);
  });

  it('ignores thermistor noise and single spikes while the heater is off', () => {
    const spiky = (_t: number, i: number) => 24 + noise(i, 1.5) + (i % 97 === 50 ? 40 : 0);
    expect(run(readings(0, 600, { T0: spiky, B: spiky }, {})).actions).toEqual([]);
  });

  it('tolerates a parked hotend slowly warmed by a hot bed', () => {
    // +15 °C over 10 minutes with target 0: passive, not a stuck heater.
    const warmed = (t: number, i: number) => 25 + (15 * t) / (10 * MIN) + noise(i, 0.5);
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 600, { T0: warmed, B: () => 90 }, { T0: 0, B: 90 })];
    expect(run(events).actions).toEqual([]);
  });

  it('accepts the overshoot of a hotend switched off while heating at full power', () => {
    // 3 °C/s when the power is cut at 150 °C; the block coasts up 12 °C over 6 s, then cools.
    const coast = (t: number) => (t <= 6 * S ? 150 + 2 * (t / S) : 162 - 0.5 * ((t - 6 * S) / S));
    const events = [
      { type: 'job-started', at: -50 * S } as const,
      ...readings(-50 * S, 50, { T0: (t) => 3 * ((t + 50 * S) / S) }, { T0: 200 }),
      ...readings(0, 120, { T0: coast }, { T0: 0 }),
    ];
    expect(run(events).actions).toEqual([]);
    // Without the settling time the same coast would read as a heater stuck on.
    expect(reasons(run(events, watchdogConfig({ T0: 260 }, { riseSettleMs: 0 })).actions)).toEqual(['rising-while-off']);
  });

  it('accepts cooling after heaters are switched off', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 10, { T0: () => 210 }, { T0: 210 }),
      ...readings(10 * S, 300, { T0: (t, i) => 25 + 185 * Math.exp(-(t - 10 * S) / (60 * S)) + noise(i, 0.4) }, { T0: 0 }),
    ];
    expect(run(events).actions).toEqual([]);
  });
});

describe('heater watchdog: idle timeout', () => {
  /** Hot heaters reporting every 5 s until `untilMs`, merged in time order with the given events. */
  const heatedWith = (untilMs: number, events: WatchdogEvent[]): WatchdogEvent[] => {
    const reports: WatchdogEvent[] = [];
    for (let at = 0; at <= untilMs; at += 5 * S) {
      reports.push({ type: 'temperatures', at, readings: [{ heater: 'T0', actualC: 200, targetC: 200 }, { heater: 'B', actualC: 60, targetC: 60 }] });
    }
    return [...events, ...reports].sort((a, b) => a.at - b.at);
  };

  it('switches heaters off after 10 idle minutes', () => {
    const { actions } = run(heatedWith(11 * MIN, []));
    expect(actions).toEqual([{ type: 'heaters-off', reason: 'idle-timeout', at: 10 * MIN }]);
  });

  it('counts a user command as activity', () => {
    const { actions } = run(heatedWith(16 * MIN, [{ type: 'user-command', at: 5 * MIN }]));
    expect(actions).toEqual([{ type: 'heaters-off', reason: 'idle-timeout', at: 15 * MIN }]);
  });

  it('never idles heaters off while a job runs, and starts counting when it ends', () => {
    const { actions } = run(heatedWith(72 * MIN, [{ type: 'job-started', at: 0 }, { type: 'job-ended', at: 61 * MIN }]));
    expect(actions).toEqual([{ type: 'heaters-off', reason: 'idle-timeout', at: 71 * MIN }]);
  });

  it('does nothing when no heater has a target', () => {
    const cold = readings(0, 5, { T0: () => 25 }, {});
    expect(run([...cold, { type: 'tick', at: 30 * MIN }]).actions).toEqual([]);
  });

  it('honours a per-printer idle timeout', () => {
    const cfg = watchdogConfig({ T0: 260, B: 110 }, { idleTimeoutMs: 2 * MIN });
    expect(run(heatedWith(3 * MIN, []), cfg).actions).toEqual([{ type: 'heaters-off', reason: 'idle-timeout', at: 2 * MIN }]);
  });
});

describe('heater watchdog: emergency stops', () => {
  it('stops when readings go stale for more than 30 s while a heater has a target', () => {
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 10, { T0: () => 200 }, { T0: 200 })];
    const last = 9 * S;
    const { actions } = run([...events, { type: 'tick', at: last + 30 * S }, { type: 'tick', at: last + 31 * S }]);
    expect(actions).toEqual([{ type: 'emergency-stop', alarm: { reason: 'stale-readings', at: last + 31 * S }, at: last + 31 * S }]);
  });

  it('does not mind stale readings when every target is 0', () => {
    const events = readings(0, 10, { T0: () => 30 }, { T0: 0 });
    expect(run([...events, { type: 'tick', at: 10 * MIN }]).actions).toEqual([]);
  });

  it('stops when the hotend holds more than 15 °C above its target', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 20, { T0: (_t, i) => 200 + noise(i, 0.5) }, { T0: 200 }),
      ...readings(20 * S, 30, { T0: (_t, i) => 200 + i * 2 }, { T0: 200 }),
    ];
    const { actions } = run(events);
    expect(reasons(actions)).toEqual(['above-target']);
    expect(actions[0]).toMatchObject({ alarm: { heater: 'T0', targetC: 200, limitC: 215 } });
  });

  it('does not stop for one reading over the target band', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 60, { T0: (_t, i) => (i === 30 ? 230 : 200) }, { T0: 200 }),
    ];
    expect(run(events).actions).toEqual([]);
  });

  it('stops when a lowered target is never reached within the cooling allowance', () => {
    const cfg = watchdogConfig({ T0: 260 }, { coolingAllowanceMs: 2 * MIN });
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 10, { T0: () => 240 }, { T0: 240 }),
      ...readings(10 * S, 180, { T0: () => 238 }, { T0: 180 }),
    ];
    expect(reasons(run(events, cfg).actions)).toEqual(['above-target']);
  });

  it('stops when a heater rises while cooling to a lowered target', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 10, { T0: () => 240 }, { T0: 240 }),
      ...readings(10 * S, 60, { T0: (_t, i) => 240 + i * 0.5 }, { T0: 180 }),
    ];
    expect(reasons(run(events).actions)).toEqual(['rising-while-cooling']);
  });

  it('stops when the bed keeps rising with target 0 (stuck MOSFET)', () => {
    const events = readings(0, 120, { T0: () => 25, B: (_t, i) => 25 + i * 0.5 + noise(i, 0.3) }, {});
    const { actions } = run(events);
    expect(reasons(actions)).toEqual(['rising-while-off']);
    expect(actions[0]).toMatchObject({ alarm: { heater: 'B', targetC: 0 } });
    // Within the one-minute window, not at the first noisy sample.
    expect(actions[0]!.at).toBeGreaterThanOrEqual(20 * S);
    expect(actions[0]!.at).toBeLessThanOrEqual(60 * S);
  });

  it('stops when a reading exceeds the profile maximum, after two readings', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 5, { T0: () => 255 }, { T0: 255 }),
      ...readings(5 * S, 5, { T0: () => 262 }, { T0: 255 }),
    ];
    const { actions } = run(events);
    expect(actions).toEqual([
      { type: 'emergency-stop', alarm: { reason: 'above-profile-max', at: 6 * S, heater: 'T0', actualC: 262, targetC: 255, limitC: 260 }, at: 6 * S },
    ]);
  });

  it('checks a heater missing from the profile against the lowest maximum', () => {
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 5, { T1: () => 150 }, { T1: 150 })];
    expect(run(events).actions[0]).toMatchObject({ alarm: { reason: 'above-profile-max', heater: 'T1', limitC: 110 } });
  });

  it('stops on thermal runaway: a hotend that should heat makes no progress', () => {
    // Heater cartridge fell out: the reading stays near room temperature.
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 120, { T0: (_t, i) => 25 + noise(i, 0.8) }, { T0: 200 })];
    const { actions } = run(events);
    expect(reasons(actions)).toEqual(['heating-stalled']);
    expect(actions[0]!.at).toBeGreaterThan(60 * S);
  });

  it('stops when a heater drops from its target and does not recover (thermistor came loose)', () => {
    const events = [
      { type: 'job-started', at: 0 } as const,
      ...readings(0, 30, { T0: () => 200 }, { T0: 200 }),
      ...readings(30 * S, 150, { T0: () => 150 }, { T0: 200 }),
    ];
    expect(reasons(run(events).actions)).toEqual(['heating-stalled']);
  });

  it('accepts a dip that recovers (part fan switched on)', () => {
    const dip = (t: number) => (t < 30 * S ? 200 : 200 - 20 * Math.exp(-(t - 30 * S) / (20 * S)) * (t < 32 * S ? (t - 30 * S) / (2 * S) : 1));
    const events = [{ type: 'job-started', at: 0 } as const, ...readings(0, 300, { T0: dip }, { T0: 200 })];
    expect(run(events).actions).toEqual([]);
  });

  it('gives a slow bed more time than a hotend', () => {
    // 1 °C per 50 s: fine for a bed (2 °C per 120 s), not for a hotend.
    const slow = (t: number) => 25 + t / (50 * S);
    const bed = run([{ type: 'job-started', at: 0 }, ...readings(0, 600, { B: slow }, { B: 100 })]);
    const hotend = run([{ type: 'job-started', at: 0 }, ...readings(0, 600, { T0: slow }, { T0: 100 })]);
    expect(bed.actions).toEqual([]);
    expect(reasons(hotend.actions)).toEqual(['heating-stalled']);
  });

  it('stops once and stays quiet until reset', () => {
    const over = readings(0, 30, { T0: () => 300 }, { T0: 200 });
    const { actions, state } = run([{ type: 'job-started', at: 0 }, ...over, { type: 'tick', at: 10 * MIN }]);
    expect(actions).toHaveLength(1);
    const reset = stepWatchdog(state, { type: 'reset', at: 11 * MIN }, config);
    expect(reset.state.tripped).toBeUndefined();
    expect(stepWatchdog(reset.state, { type: 'temperatures', at: 11 * MIN + S, readings: [{ heater: 'T0', actualC: 300, targetC: 0 }] }, config).actions).toEqual([]);
  });
});

describe('watchdogConfig', () => {
  it('refuses a profile without heaters or with a bad maximum', () => {
    expect(() => watchdogConfig({})).toThrow(WatchdogConfigError);
    expect(() => watchdogConfig({ T0: Number.NaN })).toThrow(WatchdogConfigError);
  });
});

describe('heater targets the worker sends', () => {
  it('trips on stale readings when reports stop just as heating is commanded', () => {
    const quiet = readings(0, 5, { T0: () => 22 }, {});
    const { actions } = run([
      ...quiet,
      { type: 'target-commanded', at: 5 * S, heater: 'T0', targetC: 210 },
      // The firmware took the target but its reports never came again.
      { type: 'tick', at: 5 * S + config.staleAfterMs - S },
      { type: 'tick', at: 5 * S + config.staleAfterMs + S },
    ]);
    expect(reasons(actions)).toEqual(['stale-readings']);
    expect(actions[0]?.at).toBe(5 * S + config.staleAfterMs + S);
  });

  it('counts the grace from the command when the last report is older', () => {
    const { actions } = run([...readings(0, 2, { B: () => 22 }, {}), { type: 'target-commanded', at: 5 * MIN, heater: 'B', targetC: 60 }, { type: 'tick', at: 5 * MIN + S }]);
    expect(actions).toEqual([]);
  });

  it('is satisfied once a report shows the target, and forgets a target set back to 0', () => {
    const confirmed = run([
      { type: 'target-commanded', at: 0, heater: 'B', targetC: 60 },
      ...readings(S, 3, { B: (t) => 22 + t / S }, { B: 60 }),
    ]).state;
    expect(confirmed.unconfirmed).toEqual({});
    const cancelled = run([
      { type: 'target-commanded', at: 0, heater: 'T0', targetC: 200 },
      { type: 'target-commanded', at: S, heater: 'T0', targetC: 0 },
      { type: 'tick', at: S + config.staleAfterMs * 2 },
    ]);
    expect(cancelled.actions).toEqual([]);
  });
});
