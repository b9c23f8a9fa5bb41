// What the watchdog knows about one heater, and how a new reading moves it.
// Each heater is in one phase, decided afresh whenever its target changes:
// off (target 0), heating (below target: must make progress), holding (at
// target: must stay within bounds), cooling (target was lowered below the
// current temperature: must not rise, and must get there in time).
import { heaterKind, maxFor, type WatchdogConfig } from './watchdog-config.js';
import type { HeaterReading, WatchdogAlarm } from './watchdog-types.js';

export type HeaterPhase =
  | { readonly kind: 'off' }
  | { readonly kind: 'heating'; readonly progressAt: number; readonly progressC: number }
  | { readonly kind: 'holding'; readonly overStreak: number }
  | { readonly kind: 'cooling'; readonly since: number };

export type Sample = { readonly at: number; readonly c: number };

export type HeaterTrack = {
  readonly targetC: number;
  readonly phase: HeaterPhase;
  /** Recent readings since the target last changed, for rise detection. */
  readonly samples: readonly Sample[];
  readonly overMaxStreak: number;
  /** When the target last changed: rise checks wait out the heat still stored in the heater block. */
  readonly changedAt: number;
};

export type TrackResult = { readonly track: HeaterTrack; readonly alarm?: WatchdogAlarm };

export function observeHeater(previous: HeaterTrack | undefined, reading: HeaterReading, at: number, config: WatchdogConfig): TrackResult {
  const { heater, actualC, targetC } = reading;
  const alarm = (reason: WatchdogAlarm['reason'], limitC: number): WatchdogAlarm => ({ reason, at, heater, actualC, targetC, limitC });

  const maxC = maxFor(config, heater);
  const overMaxStreak = actualC > maxC ? (previous?.overMaxStreak ?? 0) + 1 : 0;
  const targetChanged = previous === undefined || previous.targetC !== targetC;
  const phase = targetChanged ? phaseForNewTarget(actualC, targetC, at, config, heater) : (previous?.phase ?? { kind: 'off' });
  const changedAt = targetChanged ? at : (previous?.changedAt ?? at);
  // Cutting power while heating hard still lets the block overshoot for a few
  // seconds; rise detection starts once that stored heat has spread.
  const settled = at - changedAt >= config.riseSettleMs;
  const samples = settled ? keepWindow(previous?.samples ?? [], { at, c: actualC }, config.riseWindowMs) : [];
  const base = { targetC, samples, overMaxStreak, changedAt };

  if (overMaxStreak >= config.maxConfirmSamples) return { track: { ...base, phase }, alarm: alarm('above-profile-max', maxC) };

  const limits = config.runaway[heaterKind(heater)];
  switch (phase.kind) {
    case 'off': {
      const next = { ...base, phase };
      return sustainedRise(samples, config) ? { track: next, alarm: alarm('rising-while-off', config.riseAlarmC) } : { track: next };
    }
    case 'cooling': {
      if (sustainedRise(samples, config)) return { track: { ...base, phase }, alarm: alarm('rising-while-cooling', config.riseAlarmC) };
      if (actualC <= targetC + config.overTargetC) return { track: { ...base, phase: phaseForNewTarget(actualC, targetC, at, config, heater) } };
      if (at - phase.since > config.coolingAllowanceMs) return { track: { ...base, phase }, alarm: alarm('above-target', targetC + config.overTargetC) };
      return { track: { ...base, phase } };
    }
    case 'heating': {
      if (actualC >= targetC - limits.reachedBandC) return { track: { ...base, phase: { kind: 'holding', overStreak: 0 } } };
      const progressed = actualC >= phase.progressC + limits.minRiseC;
      const next: HeaterPhase = progressed ? { kind: 'heating', progressAt: at, progressC: actualC } : phase;
      if (!progressed && at - phase.progressAt > limits.heatingPeriodMs) {
        return { track: { ...base, phase: next }, alarm: alarm('heating-stalled', phase.progressC + limits.minRiseC) };
      }
      return { track: { ...base, phase: next } };
    }
    case 'holding': {
      if (actualC < targetC - limits.dropC) {
        // Fell well below target (fan blast, thermistor coming loose): it must climb back.
        return { track: { ...base, phase: { kind: 'heating', progressAt: at, progressC: actualC } } };
      }
      const overStreak = actualC > targetC + config.overTargetC ? phase.overStreak + 1 : 0;
      const next = { ...base, phase: { kind: 'holding', overStreak } as const };
      return overStreak >= config.confirmSamples ? { track: next, alarm: alarm('above-target', targetC + config.overTargetC) } : { track: next };
    }
  }
}

function phaseForNewTarget(actualC: number, targetC: number, at: number, config: WatchdogConfig, heater: string): HeaterPhase {
  if (targetC <= 0) return { kind: 'off' };
  if (actualC > targetC + config.overTargetC) return { kind: 'cooling', since: at };
  if (actualC >= targetC - config.runaway[heaterKind(heater)].reachedBandC) return { kind: 'holding', overStreak: 0 };
  return { kind: 'heating', progressAt: at, progressC: actualC };
}

function keepWindow(samples: readonly Sample[], latest: Sample, windowMs: number): Sample[] {
  return [...samples.filter((s) => latest.at - s.at <= windowMs), latest];
}

/**
 * A rise counts only when every one of the last `confirmSamples` readings is
 * at least `riseAlarmC` above the lowest reading before them in the window:
 * a single noisy spike is never enough.
 */
function sustainedRise(samples: readonly Sample[], config: WatchdogConfig): boolean {
  const k = config.confirmSamples;
  if (samples.length <= k) return false;
  const earlier = samples.slice(0, -k).map((s) => s.c);
  const recent = samples.slice(-k).map((s) => s.c);
  return Math.min(...recent) - Math.min(...earlier) >= config.riseAlarmC;
}
