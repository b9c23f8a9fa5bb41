import { describe, expect, it } from 'vitest';
import { alarmReportOf, heatersOffLines, watchdogErrorOf } from './watchdog-reports.js';

describe('watchdog reports', () => {
  it('switches every heater of the profile off', () => {
    expect(heatersOffLines({ T0: 260, T1: 300, B: 110, C: 60 })).toEqual(['M104 T0 S0', 'M104 T1 S0', 'M140 S0', 'M141 S0']);
  });

  it('reports only what the alarm knows, and names the reason in the error', () => {
    const alarm = { reason: 'above-profile-max', at: 5, heater: 'T0', actualC: 262, targetC: 0, limitC: 260 } as const;
    expect(alarmReportOf(alarm)).toEqual({ at: 5, reason: 'above-profile-max', heater: 'T0', actualC: 262, targetC: 0, limitC: 260 });
    expect(alarmReportOf({ reason: 'stale-readings', at: 9 })).toEqual({ at: 9, reason: 'stale-readings' });
    expect(watchdogErrorOf(alarm)).toEqual({ code: 'watchdog-above-profile-max', message: 'heater watchdog: above-profile-max (T0)' });
  });
});
