import type { CommandWords } from '@farm/gcode';
import type { PrinterConfig } from '../config/printer-config.js';
import type { FaultKind } from '../faults/fault-spec.js';
import type { Heater } from './heater.js';
import type { Kinematics } from './kinematics.js';
import type { Planner } from './planner.js';
import type { HaltCause, ReplyStyle } from './replies/index.js';

/** A command taken into the queue. */
export interface QueuedCommand {
  command: string;
  lineNumber: number | undefined;
  words: CommandWords;
  faults: readonly FaultKind[];
  /** Firmware time (printer ms) to parse and plan it before its handler runs. */
  processMs: number;
}

/**
 * What a running handler waits for before it continues:
 * a moment (dwell, homing, heating tick), a free planner block, an empty
 * planner (`planner.synchronize()`), or the user (M0, `M108`/`M876`).
 * `interruptible` waits end early on M108 (Marlin's `wait_for_heatup`).
 */
export type Wait =
  | { kind: 'until'; at: number; interruptible: boolean }
  | { kind: 'planner-slot' }
  | { kind: 'planner-empty' }
  | { kind: 'user' };

export type Handler = Generator<Wait, void, void>;

/** The parts of the firmware a command handler may use. */
export interface CommandContext {
  readonly config: PrinterConfig;
  readonly replies: ReplyStyle;
  readonly kinematics: Kinematics;
  readonly planner: Planner;
  readonly hotend: Heater;
  readonly bed: Heater;
  /** Current simulated time in host milliseconds. */
  readonly now: number;
  /** Printer milliseconds → host milliseconds (divides by the time scale). */
  scaled(printerMs: number): number;
  /** Brings the heaters up to date and returns them. */
  readHeaters(): void;
  emit(line: string): void;
  ok(command: QueuedCommand): void;
  /** Counts an `ok` the handler printed itself (M105's `ok T:…`). */
  okPrinted(): void;
  halt(cause: HaltCause): void;
  quickStop(): void;
  setLastLineNumber(n: number): void;
  readonly lastLineNumber: number;
  setAutoReport(seconds: number): void;
  setKeepalive(seconds: number): void;
  /** False once a `reports-stop` fault struck: no auto-reports, no wait lines (M105 still answers). */
  readonly temperatureReports: boolean;
  /** Cleared by M108/M876; set by M0/M1 and heater waits. */
  waitBroken: boolean;
  waitingForUser: boolean;
  unknownCommand(command: QueuedCommand): void;
}
