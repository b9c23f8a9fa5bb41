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
  /** Targets above 0 sent but not yet seen in a report: heater → when sent. */
  readonly unconfirmed: Readonly<Record<string, { readonly targetC: number; readonly at: number }>>;
  /** Set once the watchdog has stopped the printer; it stays quiet until reset. */
  readonly tripped: WatchdogAlarm | undefined;
};

export type WatchdogStep = { readonly state: WatchdogState; readonly actions: readonly WatchdogAction[] };

export function initialWatchdog(at: number): WatchdogState {
  return { heaters: {}, lastReadingAt: undefined, jobRunning: false, lastActivityAt: at, unconfirmed: {}, tripped: undefined };
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
    case 'target-commanded': {
      const { [event.heater]: _previous, ...others } = state.unconfirmed;
      const unconfirmed = event.targetC > 0 ? { ...others, [event.heater]: { targetC: event.targetC, at: event.at } } : others;
      return checkClock({ ...state, unconfirmed }, event.at, config);
    }
    case 'temperatures': {
      const heaters: Record<string, HeaterTrack> = { ...state.heaters };
      const unconfirmed = { ...state.unconfirmed };
      for (const reading of event.readings) if (unconfirmed[reading.heater]?.targetC === reading.targetC) delete unconfirmed[reading.heater];
      state = { ...state, unconfirmed };
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
  return Object.values(state.heaters).some((h) => h.targetC > 0) || Object.keys(state.unconfirmed).length > 0;
}

/** Readings are stale when none came for a while — counted from the last one, or from a target sent since. */
function freshSince(state: WatchdogState): number | undefined {
  const sent = Object.values(state.unconfirmed).map((u) => u.at);
  const candidates = [...(state.lastReadingAt !== undefined ? [state.lastReadingAt] : []), ...(sent.length > 0 ? [Math.min(...sent)] : [])];
  return candidates.length > 0 ? Math.max(...candidates) : undefined;
}

function checkClock(state: WatchdogState, at: number, config: WatchdogConfig): WatchdogStep {
  if (!anyHeaterTargeted(state)) return { state, actions: [] };
  const since = freshSince(state);
  if (since !== undefined && at - since > config.staleAfterMs) {
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
