// Every heater-watchdog case, end to end: a virtual printer with a heater
// fault on a real pseudo-terminal, the real port runtime with real Redis, heat
// through signed controls, and what must follow: the alarm's reason, M112 on
// the wire, the printer halted, `printer.alarm` and the halted state in Redis.
// The watchdog's periods are shortened through the runtime's tuning and the
// printer's physics sped up by its time scale, so each case takes seconds.
import type { ControlKey, LiveEvent } from '@farm/contracts';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/test-env.js';
import { DEFAULT_RUNAWAY, type AlarmReason, type WatchdogConfig } from '../watchdog/index.js';
import { DEFAULT_HEATER_IDLE_MINUTES, watchdogSettingsOf } from './link-settings.js';
import type { RuntimeTuning } from './port-runtime.js';
import { FAST, randomControlKey, startRuntime, testProfile, testSpec, until } from './testing/runtime-harness.js';
import { startRig, stopRig, type Rig } from './testing/runtime-rig.js';

type WatchdogTuning = Partial<Omit<WatchdogConfig, 'maxC'>>;

/**
 * The defaults' rules with their periods cut from tens of seconds to one or
 * two: readings arrive ten times a second here (M155 S1 at time scale 10).
 */
const QUICK: WatchdogTuning = {
  staleAfterMs: 3_000,
  riseSettleMs: 500,
  riseWindowMs: 3_000,
  runaway: {
    ...DEFAULT_RUNAWAY,
    hotend: { ...DEFAULT_RUNAWAY.hotend, heatingPeriodMs: 2_000 },
    bed: { ...DEFAULT_RUNAWAY.bed, heatingPeriodMs: 2_000 },
  },
};

let env: TestEnv;
let key: ControlKey;

beforeAll(async () => {
  env = await createTestEnv();
  key = randomControlKey();
});

async function rig(printerId: string, faults: string, timeScale: number, watchdog: WatchdogTuning = {}): Promise<Rig<VirtualPrinter>> {
  const printer = await startVirtualPrinter({ latencyMs: 1, timeScale, faults });
  const tuning: RuntimeTuning = { ...FAST, watchdog: { ...QUICK, ...watchdog } };
  const r = await startRig({ ...env, key }, printerId, printer, testSpec(printerId, printer.address), tuning);
  await r.probe.waitStatus('idle');
  return r;
}

const teardown = stopRig;

type Alarm = Extract<LiveEvent, { type: 'printer.alarm' }>;

function alarms(r: Rig): Alarm[] {
  return r.probe.events.filter((e): e is Alarm => e.type === 'printer.alarm');
}

/** Waits for the watchdog's alarm, then checks the stop went all the way: wire, firmware, Redis. */
async function expectStopped(r: Rig<VirtualPrinter>, reason: AlarmReason): Promise<Alarm> {
  const alarm = await until(`a ${reason} alarm`, () => alarms(r).find((a) => a.reason === reason));
  // The watchdog acted first: no other watchdog alarm, and the firmware did not halt by itself before.
  expect(alarms(r)[0]).toBe(alarm);
  await until('M112 on the wire', () => r.probe.logLines.some((l) => l.direction === 'sent' && /^M112\b/.test(l.line)));
  await until('the firmware halted', () => r.printer.stats().state === 'halted');
  await until('the kill reply', () => r.probe.logLines.some((l) => l.direction === 'received' && /kill\(\) called/.test(l.line)));
  expect(r.probe.logLines.some((l) => /Thermal Runaway/.test(l.line))).toBe(false);
  const state = await r.probe.waitStatus('halted');
  expect(state.error).toMatchObject({ code: `watchdog-${reason}` });
  return alarm;
}

async function heat(r: Rig, heater: 'T0' | 'B', targetC: number): Promise<void> {
  expect(await r.probe.control({ kind: 'set-temperature', heater, targetC })).toEqual({ ok: true });
}

describe('heater watchdog on the virtual printer', () => {
  let r: Rig<VirtualPrinter> | undefined;
  afterEach(async () => {
    await teardown(r);
    r = undefined;
  });

  it('a heater stuck on keeps rising with target 0: rising-while-off', async () => {
    r = await rig('wd-stuck', 'heater-stuck-on', 4);
    const alarm = await expectStopped(r, 'rising-while-off');
    expect(alarm).toMatchObject({ heater: 'T0', targetC: 0 });
    expect(alarm.actualC).toBeLessThan(260);
  });

  it('a heater stuck on passes the profile maximum: above-profile-max', async () => {
    // The rise rule is put out of reach so that the hard limit is what trips.
    r = await rig('wd-max', 'heater-stuck-on', 10, { riseAlarmC: 10_000 });
    const alarm = await expectStopped(r, 'above-profile-max');
    expect(alarm).toMatchObject({ heater: 'T0', limitC: 260 });
    expect(alarm.actualC).toBeGreaterThan(260);
  });

  it('a heater that fails at its target falls away from it: heating-stalled', async () => {
    r = await rig('wd-failed', 'heater-failed@reached', 10);
    await heat(r, 'T0', 200);
    const alarm = await expectStopped(r, 'heating-stalled');
    expect(alarm).toMatchObject({ heater: 'T0', targetC: 200 });
    expect(alarm.actualC).toBeLessThan(190);
  });

  it('a frozen sensor shows no progress while heating: heating-stalled', async () => {
    r = await rig('wd-frozen', 'sensor-frozen@heat', 10);
    await heat(r, 'T0', 200);
    const alarm = await expectStopped(r, 'heating-stalled');
    expect(alarm).toMatchObject({ heater: 'T0', targetC: 200, actualC: 25 });
  });

  it('a controller that overshoots holds far above its target: above-target', async () => {
    r = await rig('wd-overshoot', 'overshoot', 10);
    await heat(r, 'T0', 200);
    const alarm = await expectStopped(r, 'above-target');
    expect(alarm).toMatchObject({ heater: 'T0', targetC: 200, limitC: 215 });
    expect(alarm.actualC).toBeGreaterThan(215);
  });

  it('temperature reports stop while heating and the firmware runs on: stale-readings', async () => {
    r = await rig('wd-stale', 'reports-stop@reached', 10);
    await heat(r, 'T0', 200);
    await expectStopped(r, 'stale-readings');
    // The last stored reading (one a second) before the silence: heating towards its target.
    const [last] = await r.probe.redis.xrevrange(r.probe.keys.temperatureHistory('wd-stale'), '+', '-', 'COUNT', 1);
    const sample = JSON.parse(last?.[1][1] ?? 'null') as { heaters: { heater: string; targetC: number; actualC: number }[] };
    expect(sample.heaters.find((h) => h.heater === 'T0')).toMatchObject({ targetC: 200, actualC: expect.any(Number) });
    expect(sample.heaters.find((h) => h.heater === 'T0')!.actualC).toBeGreaterThan(50);
  });

  it('temperature reports stop the moment heating is commanded: stale-readings from the target the worker sent', async () => {
    r = await rig('wd-stale-at-heat', 'reports-stop@heat', 10);
    await heat(r, 'T0', 200);
    await expectStopped(r, 'stale-readings');
  });

  it('switches heaters off after the idle time, without an alarm', async () => {
    expect(watchdogSettingsOf(testProfile()).idleTimeoutMs).toBe(DEFAULT_HEATER_IDLE_MINUTES * 60_000);
    expect(watchdogSettingsOf(testProfile({ heaterIdleMinutes: 3 })).idleTimeoutMs).toBe(180_000);
    r = await rig('wd-idle', '', 10, { idleTimeoutMs: 1_500 });
    await heat(r, 'T0', 200);
    await heat(r, 'B', 50);
    const executed = (): string[] => r!.printer.executedCommands();
    await until('heaters off on the wire', () => {
      const list = executed();
      const heated = Math.max(list.lastIndexOf('M104 T0 S200'), list.lastIndexOf('M140 S50'));
      return list.lastIndexOf('M104 T0 S0') > heated && list.lastIndexOf('M140 S0') > heated;
    });
    expect(r.logs.some((l) => l.includes('heaters off after idle time'))).toBe(true);
    // Cooling after the switch-off is no alarm: the printer stays idle and answers.
    await until('the hotend cooling in the state', async () => {
      const heaters = (await r!.probe.state())?.heaters as { heater: string; targetC: number; actualC: number }[] | undefined;
      return heaters?.some((h) => h.heater === 'T0' && h.targetC === 0 && h.actualC < 150);
    });
    expect(await r.probe.control({ kind: 'terminal', line: 'M105' })).toMatchObject({ ok: true });
    expect(alarms(r)).toEqual([]);
    expect((await r.probe.state())?.status).toBe('idle');
    expect(r.printer.stats().state).toBe('running');
  });
});

describe('without redis', () => {
  it('the watchdog still stops a heater stuck on', async () => {
    const printer = await startVirtualPrinter({ latencyMs: 1, timeScale: 4, faults: 'heater-stuck-on' });
    const { runtime, logs } = await startRuntime(testSpec('wd-noredis', printer.address), 'redis://127.0.0.1:1', env.redisPrefix, key, {
      ...FAST,
      redisReadyTimeoutMs: 300,
      watchdog: QUICK,
    });
    try {
      await until('the watchdog stop', () => runtime.state.status === 'halted');
      expect(runtime.state.error).toMatchObject({ code: 'watchdog-rising-while-off' });
      await until('the firmware halted', () => printer.stats().state === 'halted');
      expect(logs.some((l) => l.includes('redis is not reachable'))).toBe(true);
      expect(logs.some((l) => l.includes('heater watchdog stopped the printer'))).toBe(true);
    } finally {
      await runtime.shutdown();
      await printer.close();
    }
  });
});
