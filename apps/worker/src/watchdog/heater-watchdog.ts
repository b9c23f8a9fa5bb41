// The heater watchdog: a pure state machine the port worker feeds with
// temperature readings, job and user activity, and clock ticks. It answers
// with actions (switch heaters off, emergency stop); the worker performs them.
// It runs in the worker, independent of the manager and of Redis.
import { observeHeater, type HeaterTrack } from './heater-track.js';
import type { WatchdogConfig } from './watchdog-config.js';
import type { WatchdogAction, WatchdogAlarm, WatchdogEvent } from './watchdog-types.js';

export type WatchdogState = {
  readonly heaters: Readonly<Record<string, HeaterTrack>>;
  readonly lastReadingAt: number | undefined;
  readonly jobRunning: boolean;
  readonly lastActivityAt: number;
  /** Set once the watchdog has stopped the printer; it stays quiet until reset. */
  readonly tripped: WatchdogAlarm | undefined;
};

export type WatchdogStep = { readonly state: WatchdogState; readonly actions: readonly WatchdogAction[] };

export function initialWatchdog(at: number): WatchdogState {
  return { heaters: {}, lastReadingAt: undefined, jobRunning: false, lastActivityAt: at, tripped: undefined };
}

export function stepWatchdog(state: WatchdogState, event: WatchdogEvent, config: WatchdogConfig): WatchdogStep {
  if (event.type === 'reset') return { state: initialWatchdog(event.at), actions: [] };
  if (state.tripped !== undefined) return { state, actions: [] };
  switch (event.type) {
    case 'job-started':
      return { state: { ...state, jobRunning: true, lastActivityAt: event.at }, actions: [] };
    case 'job-ended':
      return { state: { ...state, jobRunning: false, lastActivityAt: event.at }, actions: [] };
    case 'user-command':
      return { state: { ...state, lastActivityAt: event.at }, actions: [] };
    case 'tick':
      return checkClock(state, event.at, config);
    case 'temperatures': {
      const heaters: Record<string, HeaterTrack> = { ...state.heaters };
      for (const reading of event.readings) {
        const result = observeHeater(heaters[reading.heater], reading, event.at, config);
        heaters[reading.heater] = result.track;
        if (result.alarm !== undefined) return trip({ ...state, heaters, lastReadingAt: event.at }, result.alarm);
      }
      return checkClock({ ...state, heaters, lastReadingAt: event.at }, event.at, config);
    }
  }
}

function anyHeaterTargeted(state: WatchdogState): boolean {
  return Object.values(state.heaters).some((h) => h.targetC > 0);
}

function checkClock(state: WatchdogState, at: number, config: WatchdogConfig): WatchdogStep {
  if (!anyHeaterTargeted(state)) return { state, actions: [] };
  if (state.lastReadingAt !== undefined && at - state.lastReadingAt > config.staleAfterMs) {
    return trip(state, { reason: 'stale-readings', at });
  }
  if (!state.jobRunning && at - state.lastActivityAt >= config.idleTimeoutMs) {
    // Counting the switch-off as activity repeats it once per idle period if a target survives it.
    return { state: { ...state, lastActivityAt: at }, actions: [{ type: 'heaters-off', reason: 'idle-timeout' }] };
  }
  return { state, actions: [] };
}

function trip(state: WatchdogState, alarm: WatchdogAlarm): WatchdogStep {
  return { state: { ...state, tripped: alarm }, actions: [{ type: 'emergency-stop', alarm }] };
}
