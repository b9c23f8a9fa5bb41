// What the worker says and sends when the heater watchdog acts: pure mapping
// from the watchdog's decisions to G-code lines, the alarm event and the
// printer's error, so the runtime only wires them.
import type { LiveEvent } from '@farm/contracts';
import type { WatchdogAlarm } from '../watchdog/index.js';
import type { LiveError } from './live-state.js';

export type AlarmReport = Omit<Extract<LiveEvent, { type: 'printer.alarm' }>, 'type' | 'printerId'>;

/** One line per heater in the profile's caps (T0…, B, C) that sets its target to 0. */
export function heatersOffLines(caps: Readonly<Record<string, number>>): string[] {
  return Object.keys(caps).map((id) => (id === 'B' ? 'M140 S0' : id === 'C' ? 'M141 S0' : `M104 ${id} S0`));
}

export function alarmReportOf(alarm: WatchdogAlarm): AlarmReport {
  return {
    at: alarm.at,
    reason: alarm.reason,
    ...(alarm.heater !== undefined ? { heater: alarm.heater.slice(0, 8) } : {}),
    ...(alarm.actualC !== undefined ? { actualC: alarm.actualC } : {}),
    ...(alarm.targetC !== undefined ? { targetC: alarm.targetC } : {}),
    ...(alarm.limitC !== undefined ? { limitC: alarm.limitC } : {}),
  };
}

export function watchdogErrorOf(alarm: WatchdogAlarm): LiveError {
  return { code: `watchdog-${alarm.reason}`, message: `heater watchdog: ${alarm.reason}${alarm.heater ? ` (${alarm.heater})` : ''}` };
}
