/**
 * Where the four firmwares' replies differ on the wire. The firmware core
 * decides *what* happens; a reply style decides how it reads.
 */
export interface Temperatures {
  hotend: { temp: number; target: number; pwm: number };
  bed: { temp: number; target: number; pwm: number };
}

export interface Position {
  X: number;
  Y: number;
  Z: number;
  E: number;
}

/** Why a temperature line is printed: answer to M105, auto-report (M155), or while waiting in M109/M190. */
export type TemperatureContext = { kind: 'm105' } | { kind: 'auto' } | { kind: 'wait'; residencyS: number | undefined };

export interface FirmwareInfoOptions {
  emergencyParser: boolean;
  hostActions: boolean;
}

export type HaltCause = 'm112' | 'thermal-runaway' | 'halt';

export interface ReplyStyle {
  /** Lines printed after a reset (power-up, DTR reset, watchdog). Empty: the firmware does not reset on open. */
  banner(): string[];
  /** Whether ADVANCED_OK, line errors with Resend, busy keepalives exist in this firmware. */
  readonly supportsAdvancedOk: boolean;
  readonly sendsBusy: boolean;
  readonly heaterWaitReports: boolean;
  temperatures(t: Temperatures, context: TemperatureContext): string;
  /** M115 reply lines; when `okIncluded` the last line already acknowledges the command. */
  firmwareInfo(options: FirmwareInfoOptions): { lines: string[]; okIncluded: boolean };
  position(p: Position): string[];
  unknownCommand(command: string): string[];
  busy(reason: 'processing' | 'paused for user'): string;
  halted(cause: HaltCause): string[];
  /** What a halted firmware answers to a line (Klipper keeps answering; Marlin goes silent). */
  whileHalted(cause: HaltCause): string[];
  runout(): string[];
}
