// When to take the next webcam frame: every 10 s by default, faster while
// someone watches the printer, never two at once, and backing off while the
// camera fails (a dead camera should not be hammered). Pure; the capturer
// drives it with the clock.

export type ScheduleConfig = {
  readonly intervalMs: number;
  /** Interval while at least one dashboard watches this printer. */
  readonly watchedIntervalMs: number;
  /** Longest wait after repeated failures. */
  readonly maxBackoffMs: number;
};

export const DEFAULT_SCHEDULE: ScheduleConfig = { intervalMs: 10_000, watchedIntervalMs: 2_000, maxBackoffMs: 60_000 };

export type ScheduleState = {
  readonly watchers: number;
  readonly lastStartAt: number | undefined;
  readonly inFlight: boolean;
  readonly failures: number;
};

export type ScheduleEvent =
  | { readonly type: 'tick'; readonly at: number }
  | { readonly type: 'watchers'; readonly at: number; readonly count: number }
  | { readonly type: 'captured'; readonly at: number }
  | { readonly type: 'failed'; readonly at: number };

export const initialSchedule: ScheduleState = { watchers: 0, lastStartAt: undefined, inFlight: false, failures: 0 };

/** The time of the next capture, or undefined while one is in flight. */
export function nextCaptureAt(state: ScheduleState, config: ScheduleConfig): number | undefined {
  if (state.inFlight) return undefined;
  if (state.lastStartAt === undefined) return Number.NEGATIVE_INFINITY;
  const base = state.watchers > 0 ? config.watchedIntervalMs : config.intervalMs;
  const wait = state.failures === 0 ? base : Math.max(base, Math.min(config.maxBackoffMs, base * 2 ** Math.min(state.failures, 20)));
  return state.lastStartAt + wait;
}

export function stepSchedule(state: ScheduleState, event: ScheduleEvent, config: ScheduleConfig): { state: ScheduleState; capture: boolean } {
  switch (event.type) {
    case 'watchers':
      return startIfDue({ ...state, watchers: Math.max(0, event.count) }, event.at, config);
    case 'tick':
      return startIfDue(state, event.at, config);
    case 'captured':
      return startIfDue({ ...state, inFlight: false, failures: 0 }, event.at, config);
    case 'failed':
      return startIfDue({ ...state, inFlight: false, failures: state.failures + 1 }, event.at, config);
  }
}

function startIfDue(state: ScheduleState, at: number, config: ScheduleConfig): { state: ScheduleState; capture: boolean } {
  const due = nextCaptureAt(state, config);
  if (due === undefined || at < due) return { state, capture: false };
  return { state: { ...state, inFlight: true, lastStartAt: at }, capture: true };
}
