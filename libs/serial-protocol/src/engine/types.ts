import type { GcodeLine } from '@farm/gcode';
import type { GuardVerdict } from '../guard.js';
import type { ActionCommand } from '../replies/action.js';
import type { FirmwareFlavor } from '../replies/firmware-info.js';
import type { PositionReport } from '../replies/position.js';
import type { FirmwareProgress } from '../replies/print-progress.js';
import type { TemperatureReport } from '../replies/temperature.js';
import type { FlowControl, LinkConfig } from './config.js';

// ── connection ────────────────────────────────────────────────────────────

/**
 * closed → booting (port open, firmware may be resetting) → hello (M110 N0
 * sent) → identifying (M115 sent) → ready. `halted`: the firmware stopped
 * (kill, M112); the port stays open for its output, nothing more is sent.
 */
export type ConnectionPhase = 'closed' | 'booting' | 'hello' | 'identifying' | 'ready' | 'halted';

export interface FirmwareInfo {
  name: string;
  flavor: FirmwareFlavor;
  fields: Record<string, string>;
  capabilities: Record<string, boolean>;
}

// ── what is on the wire ───────────────────────────────────────────────────

export type SystemPurpose = 'hello' | 'identify' | 'setup' | 'poll' | 'sync' | 'tickle' | 'renumber' | 'prompt' | 'quickstop' | 'keepalive' | 'finish';
export type ScriptName = 'pause' | 'resume' | 'cancel';

export type Origin =
  | { kind: 'file'; line: GcodeLine }
  | { kind: 'script'; script: ScriptName }
  | { kind: 'direct'; id: string }
  | { kind: 'system'; purpose: SystemPurpose };

/** A command waiting to be framed and written. */
export interface Outgoing {
  command: string;
  origin: Origin;
  /** M110: written only when nothing is in flight (line numbers restart there). */
  barrier?: boolean;
}

/** A line written and not yet acknowledged. `n` is null for out-of-band unnumbered lines. */
export interface InFlight {
  n: number | null;
  command: string;
  bytes: number;
  origin: Origin;
  /** False once ADVANCED_OK showed the line left the receive buffer for the command queue. */
  inRxBuffer: boolean;
}

export interface HistoryEntry {
  n: number;
  command: string;
  text: string;
  origin: Origin;
}

/** A view on shared append-only storage (see `history.ts`). */
export interface HistoryLog {
  readonly items: HistoryEntry[];
  readonly start: number;
  readonly end: number;
}

export interface ResendState {
  /** draining: waiting for the incident's echoes to end; sending: retransmitting from history. */
  phase: 'draining' | 'sending';
  /** The first line to retransmit (what the firmware asked for). */
  from: number;
  cursor: number;
  /** Retransmit up to (not including) this line; undefined = up to the last line sent. */
  end?: number;
}

// ── jobs ──────────────────────────────────────────────────────────────────

export type JobPhase = 'starting' | 'running' | 'pausing' | 'paused' | 'resuming' | 'cancelling';

export interface JobPosition {
  /** Last file line the firmware acknowledged (1-based line number in the file). */
  fileLine: number;
  /** Byte offset just past that line: where a manual resume would continue. */
  byteOffset: number;
}

export interface JobState {
  id: string;
  phase: JobPhase;
  totalBytes: number | null;
  totalLines: number | null;
  /** File lines pulled; those from `bufferAt` on are not sent yet. Replaced, never changed in place. */
  buffer: readonly GcodeLine[];
  bufferAt: number;
  pullOutstanding: boolean;
  sourceDone: boolean;
  /** Script lines queued for the current phase. */
  script: Outgoing[];
  /** Script lines written and not yet acknowledged. */
  scriptInFlight: number;
  acknowledged: JobPosition | null;
  acknowledgedLines: number;
  linesSent: number;
  positionUnknown: boolean;
  resendWarned: boolean;
  /**
   * The closing sync: once every line looks acknowledged, a numbered `M105` goes out and the job
   * completes only on its own reply (a duplicated ok can make the last lines look done early).
   */
  endSync: 'none' | 'queued' | 'nudged' | 'done';
}

export type JobResult =
  | { status: 'completed'; lines: number }
  | { status: 'cancelled'; lines: number; at: JobPosition | null; positionUnknown: boolean }
  | { status: 'failed'; code: string; reason: string; at: JobPosition | null }
  | { status: 'interrupted'; code: 'firmware_reset' | 'disconnected' | 'halted' | 'emergency_stop' | 'timeout'; reason: string; at: JobPosition | null };

// ── direct commands ───────────────────────────────────────────────────────

export type CommandResult = { ok: true; lines: string[] } | { ok: false; code: string; reason: string; lines: string[] };

export interface PendingCommand {
  id: string;
  lines: string[];
  error: { code: string; reason: string } | null;
}

// ── counters ──────────────────────────────────────────────────────────────

export interface Counters {
  linesSent: number;
  resends: number;
  resendRequests: number;
  timeouts: number;
  okCount: number;
  /** Last ADVANCED_OK planner free blocks (null when not reported). */
  plannerFree: number | null;
}

// ── engine state ──────────────────────────────────────────────────────────

export type TimerName = 'boot' | 'hello' | 'ack' | 'drain' | 'poll' | 'idle';

export interface EngineState {
  config: LinkConfig;
  phase: ConnectionPhase;
  helloAttempts: number;
  firmware: FirmwareInfo | null;
  flow: FlowControl;
  /** Partial received line. */
  rxPending: Uint8Array;
  rxPendingCr: boolean;
  nextLine: number;
  /**
   * Line numbers just restarted: `m110` while the M110 is unacknowledged (nothing else may go),
   * `first` until the first line after it is acknowledged (only that line may go). The firmware
   * accepting line 1 proves the M110 arrived; a lost M110 shows up as a resend request in the old
   * numbering, answered by sending the M110 again.
   */
  renumber: 'm110' | 'first' | null;
  history: HistoryLog;
  inFlight: InFlight[];
  systemQueue: Outgoing[];
  directQueue: Outgoing[];
  resend: ResendState | null;
  lastResendFrom: number | null;
  consecutiveResends: number;
  consecutiveTimeouts: number;
  busySeen: boolean;
  /** File lines sent since the last M105 sync marker. */
  linesSinceSync: number;
  /** A line arrived since the idle watchdog last looked. */
  heardSinceIdle: boolean;
  /** ADVANCED_OK seen: plain oks are resend credits, not acks. */
  advancedOk: boolean;
  /**
   * Window mode fell back to ping-pong for the rest of the job after a line error on a firmware that
   * runs unnumbered fragments (see `resend.ts`); the window returns when the job ends.
   */
  windowFallback: boolean;
  /**
   * The firmware answered an `M105` with `ok T:…` (Marlin, Prusa, RRF, Klipper all do): from then
   * on a plain `ok` cannot be an M105's reply, so one arriving while an M105 is the oldest line in
   * flight shows that the count of oks ran ahead of the firmware (a doubled `ok`).
   */
  m105AnswersWithTemperature: boolean;
  /** The last ok was an M105's `ok T:` reply (a second one straight after it is taken for a double). */
  lastOkWasTemperature: boolean;
  /** Highest ADVANCED_OK `B` seen (≈ command queue size). */
  maxBufferFree: number;
  autoreportTemperature: boolean;
  timers: Partial<Record<TimerName, true>>;
  job: JobState | null;
  commands: Record<string, PendingCommand>;
  counters: Counters;
}

// ── inputs ────────────────────────────────────────────────────────────────

export type EngineInput =
  | { type: 'opened' }
  | { type: 'data'; chunk: Uint8Array }
  | { type: 'closed'; reason?: string }
  | { type: 'timer'; name: TimerName }
  | { type: 'startJob'; id: string; totalBytes?: number; totalLines?: number }
  | { type: 'lines'; jobId: string; lines: GcodeLine[]; done: boolean }
  | { type: 'sourceFailed'; jobId: string; reason: string }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'cancel' }
  | { type: 'emergencyStop' }
  | { type: 'command'; id: string; command: string }
  | { type: 'answerPrompt'; choice: number }
  | { type: 'close' };

// ── effects ───────────────────────────────────────────────────────────────

export type Effect =
  | { type: 'write'; text: string }
  /** Write at once, ahead of anything the driver or transport still holds. */
  | { type: 'writeEmergency'; text: string }
  | { type: 'setTimer'; name: TimerName; ms: number }
  | { type: 'cancelTimer'; name: TimerName }
  | { type: 'pullLines'; jobId: string; max: number }
  /** The job no longer needs its line source (close the file). */
  | { type: 'releaseSource'; jobId: string }
  | { type: 'commandResult'; id: string; result: CommandResult }
  | { type: 'emit'; event: LinkEvent }
  | { type: 'close'; reason: string };

// ── events out ────────────────────────────────────────────────────────────

export type PromptEvent =
  | { step: 'begin'; text: string }
  | { step: 'button'; text: string }
  | { step: 'show' }
  | { step: 'end' };

export type LinkEvent =
  | { type: 'connection.state'; phase: ConnectionPhase; reason?: string }
  | { type: 'firmware.info'; firmware: FirmwareInfo; flow: FlowControl }
  | { type: 'temperature'; report: TemperatureReport }
  | { type: 'position'; report: PositionReport }
  | { type: 'job.progress'; jobId: string; acknowledgedLines: number; at: JobPosition; totalBytes: number | null; totalLines: number | null }
  | { type: 'firmware.progress'; progress: FirmwareProgress }
  | { type: 'firmware.message'; source: 'echo' | 'comment' | 'other'; text: string }
  | { type: 'firmware.busy'; reason: string; pausedForUser: boolean }
  | { type: 'action'; action: ActionCommand }
  | { type: 'prompt'; prompt: PromptEvent }
  | { type: 'job.started'; jobId: string }
  | { type: 'job.paused'; jobId: string }
  | { type: 'job.resumed'; jobId: string }
  | { type: 'job.finished'; jobId: string; result: JobResult }
  | { type: 'serial.log'; direction: 'sent' | 'received'; text: string }
  | { type: 'error'; code: string; message: string; fatal: boolean }
  | { type: 'counters'; counters: Counters };

export type { GuardVerdict };
