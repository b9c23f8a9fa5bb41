import type { LineGuard } from '../guard.js';

/**
 * Per-printer settings of the protocol engine. Defaults follow the
 * reference notes (OctoPrint's timeouts, Marlin's stock buffers).
 */
export type FlowControlSetting = 'pingpong' | 'window' | 'auto';
export type FlowControl = 'pingpong' | 'window';

export interface PrinterScripts {
  /** Sent after the stream stops on pause (e.g. retract and park). */
  pause: readonly string[];
  /** Sent before the stream continues on resume (e.g. unpark and restore position). */
  resume: readonly string[];
  /** Sent after the stream stops on cancel (heaters off, fan off, motors off). */
  cancel: readonly string[];
}

export interface LinkConfig {
  /** `auto` picks `window` once the firmware shows ADVANCED_OK (`Cap:ADVANCED_OK:1` or `ok N<n> P<p> B<b>` replies), else `pingpong`. */
  flowControl: FlowControlSetting;
  /** Window mode: framed bytes (incl. newline) that may be unacknowledged at once: the firmware receive buffer − 1. */
  rxBufferBytes: number;
  /** Window mode: most lines in flight at once. */
  maxLinesInFlight: number;
  /** Framed lines kept for resends (at least 256). */
  historySize: number;
  /** Longest framed line (without newline) the firmware can checksum; 0 = no limit (Klipper). Marlin: 95. */
  maxLineBytes: number;
  /** After opening the port: how long to wait for the firmware to boot before the hello (0 for native USB). */
  bootWaitMs: number;
  /** After `start` or boot chatter: the quiet time that ends the banner. */
  bootQuietMs: number;
  helloTimeoutMs: number;
  helloAttempts: number;
  /** No `ok` for this long while lines are in flight → timeout (nudge with M105). */
  communicationTimeoutMs: number;
  /** The same once the firmware has shown it sends `busy:` keepalives. */
  busyTimeoutMs: number;
  /** The same while a long-running command (M109, M190, G28, G29, …) is in flight on a firmware without keepalives. */
  longCommandTimeoutMs: number;
  maxConsecutiveTimeouts: number;
  /** After a resend request: silence needed before resending, so every echo of the incident has arrived. */
  resendDrainMs: number;
  /** The same line requested this many times in a row → link unreliable, the job stops. */
  maxConsecutiveResends: number;
  /** Resend requests per line sent above which one warning is emitted (after 100 lines). */
  resendWarningRatio: number;
  /** M105 poll interval when the firmware does not auto-report temperatures. */
  temperaturePollMs: number;
  /** `M155 S<n>` when `Cap:AUTOREPORT_TEMP:1`; 0 = poll instead. */
  temperatureAutoreportSeconds: number;
  /** `M154 S<n>` when `Cap:AUTOREPORT_POS:1`; 0 = off. */
  positionAutoreportSeconds: number;
  /**
   * Without ADVANCED_OK, a numbered `M105` goes out every this many file lines: its `ok T:` reply
   * is recognisable, so it re-aligns the count of lines in flight after lost or duplicated oks.
   * 0 = never.
   */
  syncEvery: number;
  /**
   * The same for a byte-counted window without ADVANCED_OK, and for the rest of a job that fell
   * back from one: a plain `ok` never acknowledges a marker, so markers bound how far a doubled
   * `ok` can carry the count ahead of the firmware (see `acks.ts`). 0 = use `syncEvery`.
   */
  windowSyncEvery: number;
  /**
   * RepRapFirmware drops a line with a bad checksum without a word (no error, no resend, no ok).
   * With no ok for this long, a numbered `M105` probe goes out: RRF answers in order, so its
   * `ok T:` arriving while earlier lines still wait for theirs shows they were dropped, and they
   * are resent at once instead of after the communication timeout. 0 = off.
   */
  silentDropProbeMs: number;
  /** Re-issue `M110 N0` once line numbers reach this (16-bit firmwares); 0 = never. */
  lineNumberLimit: number;
  scripts: PrinterScripts;
  /** Called for every command right before it is framed and written (not for M112). */
  guard: LineGuard;
  /** Tool that a bare `T:` temperature belongs to. */
  activeTool: number;
}

export const allowAll: LineGuard = () => ({ ok: true });

export const DEFAULT_CONFIG: LinkConfig = {
  flowControl: 'auto',
  rxBufferBytes: 127,
  maxLinesInFlight: 16,
  historySize: 256,
  maxLineBytes: 95,
  bootWaitMs: 2000,
  bootQuietMs: 300,
  helloTimeoutMs: 5000,
  helloAttempts: 3,
  communicationTimeoutMs: 30_000,
  busyTimeoutMs: 5000,
  longCommandTimeoutMs: 15 * 60_000,
  maxConsecutiveTimeouts: 5,
  resendDrainMs: 100,
  maxConsecutiveResends: 10,
  resendWarningRatio: 0.1,
  temperaturePollMs: 5000,
  temperatureAutoreportSeconds: 2,
  positionAutoreportSeconds: 5,
  lineNumberLimit: 0,
  syncEvery: 50,
  windowSyncEvery: 8,
  silentDropProbeMs: 1000,
  scripts: { pause: [], resume: [], cancel: [] },
  guard: allowAll,
  activeTool: 0,
};

export function resolveConfig(partial: Partial<LinkConfig> = {}): LinkConfig {
  const config = { ...DEFAULT_CONFIG, ...partial };
  config.historySize = Math.max(256, config.historySize);
  config.maxLinesInFlight = Math.max(1, config.maxLinesInFlight);
  return config;
}

/** Commands whose `ok` comes only when a long action ends (homing, probing, heating, waits). */
const LONG_RUNNING = new Set(['G4', 'G28', 'G29', 'G30', 'G32', 'G33', 'G34', 'G35', 'M109', 'M190', 'M191', 'M116', 'M400', 'M600', 'M0', 'M1', 'M226', 'M303', 'M48', 'M500', 'M701', 'M702']);

export function isLongRunning(command: string): boolean {
  const word = /^([GMgm])0*(\d+)/.exec(command);
  return word !== null && LONG_RUNNING.has(`${(word[1] ?? '').toUpperCase()}${word[2] ?? ''}`);
}
