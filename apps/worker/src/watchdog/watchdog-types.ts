// Inputs and outputs of the heater watchdog.

export type HeaterReading = { readonly heater: string; readonly actualC: number; readonly targetC: number };

export type WatchdogEvent =
  | { readonly type: 'temperatures'; readonly at: number; readonly readings: readonly HeaterReading[] }
  | { readonly type: 'job-started'; readonly at: number }
  | { readonly type: 'job-ended'; readonly at: number }
  /** Any command a user sent (terminal line, jog, set temperature): it keeps heaters from idling off. */
  | { readonly type: 'user-command'; readonly at: number }
  | { readonly type: 'tick'; readonly at: number }
  /** The worker is about to send a heater target (reports may never confirm it if they stop). */
  | { readonly type: 'target-commanded'; readonly at: number; readonly heater: string; readonly targetC: number }
  /** After the printer was reconnected or restarted following an alarm. */
  | { readonly type: 'reset'; readonly at: number };

export type AlarmReason =
  | 'stale-readings'
  | 'above-target'
  | 'rising-while-cooling'
  | 'rising-while-off'
  | 'above-profile-max'
  | 'heating-stalled';

export type WatchdogAlarm = {
  readonly reason: AlarmReason;
  readonly at: number;
  /** The heater concerned (absent for stale readings, which concern all). */
  readonly heater?: string;
  readonly actualC?: number;
  readonly targetC?: number;
  /** The threshold that was crossed, in °C. */
  readonly limitC?: number;
};

export type WatchdogAction =
  | { readonly type: 'heaters-off'; readonly reason: 'idle-timeout' }
  /** Send M112 at once, then raise the alarm to people. */
  | { readonly type: 'emergency-stop'; readonly alarm: WatchdogAlarm };
