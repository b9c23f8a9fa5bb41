// Thresholds of the heater watchdog, per printer. The defaults are documented
// here and in SECURITY.md ("Host watchdog"); the firmware's own thermal
// protection is the first line, so these are a little more lenient than
// Marlin's (WATCH_TEMP_PERIOD 40 s / 2 °C for hotends, 60 s for beds), to
// alarm only where the firmware evidently did not act.

export type HeaterKind = 'hotend' | 'bed' | 'chamber';

/** How a heater that should be heating must make progress (thermal runaway). */
export type RunawayLimits = {
  /** Longest time allowed without rising by `minRiseC` while below target. */
  readonly heatingPeriodMs: number;
  readonly minRiseC: number;
  /** Within this many °C below target the heater counts as having reached it. */
  readonly reachedBandC: number;
  /** Falling this far below a reached target starts the progress clock again. */
  readonly dropC: number;
};

export type WatchdogConfig = {
  /** Maximum temperature per heater id ('T0', 'T1', 'B', 'C') from the printer profile. */
  readonly maxC: Readonly<Record<string, number>>;
  /** Heaters are switched off after this long without a job or a user command. */
  readonly idleTimeoutMs: number;
  /** Readings older than this while any heater has a target trip the alarm. */
  readonly staleAfterMs: number;
  /** Alarm when a heater holds more than this above its target. */
  readonly overTargetC: number;
  /** After a target is lowered, how long the heater may take to cool to within `overTargetC`. */
  readonly coolingAllowanceMs: number;
  /** A rise of `riseAlarmC` within `riseWindowMs` with no demand for heat trips the alarm. */
  readonly riseWindowMs: number;
  readonly riseAlarmC: number;
  /** After a target change, rise detection waits this long (thermal inertia after power is cut). */
  readonly riseSettleMs: number;
  /** Consecutive readings a condition must hold for, so one noisy sample never trips. */
  readonly confirmSamples: number;
  /** Consecutive readings above the profile maximum before the alarm (kept short: this is the hard limit). */
  readonly maxConfirmSamples: number;
  readonly runaway: Readonly<Record<HeaterKind, RunawayLimits>>;
};

export const DEFAULT_RUNAWAY: Readonly<Record<HeaterKind, RunawayLimits>> = {
  hotend: { heatingPeriodMs: 60_000, minRiseC: 2, reachedBandC: 3, dropC: 10 },
  bed: { heatingPeriodMs: 120_000, minRiseC: 2, reachedBandC: 2, dropC: 10 },
  chamber: { heatingPeriodMs: 300_000, minRiseC: 1, reachedBandC: 3, dropC: 10 },
};

export const DEFAULT_WATCHDOG: Omit<WatchdogConfig, 'maxC'> = {
  idleTimeoutMs: 10 * 60_000,
  staleAfterMs: 30_000,
  overTargetC: 15,
  coolingAllowanceMs: 15 * 60_000,
  // Passive warming (a hotend parked over a hot bed) is a few °C per minute; a
  // heater stuck on is tens of °C per minute, so 10 °C within a minute separates them.
  riseWindowMs: 60_000,
  riseAlarmC: 10,
  riseSettleMs: 15_000,
  confirmSamples: 3,
  maxConfirmSamples: 2,
  runaway: DEFAULT_RUNAWAY,
};

export class WatchdogConfigError extends Error {
  readonly code = 'watchdog-config-invalid' as const;
}

/** The config for one printer: profile maxima plus any per-printer overrides of the defaults. */
export function watchdogConfig(maxC: Readonly<Record<string, number>>, overrides: Partial<Omit<WatchdogConfig, 'maxC'>> = {}): WatchdogConfig {
  const ids = Object.keys(maxC);
  if (ids.length === 0) throw new WatchdogConfigError('the printer profile lists no heaters');
  for (const id of ids) {
    const max = maxC[id];
    if (max === undefined || !Number.isFinite(max) || max <= 0) throw new WatchdogConfigError(`heater ${id} has no valid maximum`);
  }
  return { ...DEFAULT_WATCHDOG, ...overrides, maxC };
}

/** Marlin's names: T/T0/T1… hotends, B bed, C chamber. */
export function heaterKind(id: string): HeaterKind {
  const upper = id.toUpperCase();
  if (upper === 'B' || upper === 'BED') return 'bed';
  if (upper === 'C' || upper === 'CHAMBER') return 'chamber';
  return 'hotend';
}

/**
 * The maximum for a heater id. A heater the profile does not list gets the
 * lowest maximum it gives any heater: the safety guard refuses targets for
 * unlisted heaters anyway, so such a heater should never be hot.
 */
export function maxFor(config: WatchdogConfig, id: string): number {
  return config.maxC[id] ?? Math.min(...Object.values(config.maxC));
}
