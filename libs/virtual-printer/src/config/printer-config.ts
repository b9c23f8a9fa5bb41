/**
 * Everything that shapes one virtual printer's behaviour, with the defaults
 * of a stock Marlin on an AVR board (RAMPS, 250000 baud, FTDI-class USB bridge).
 *
 * Time: every firmware-side and link-side duration (processing per line,
 * moves, heating, dwell, keepalive and report intervals, wire time and USB
 * latency) is divided by `timeScale`, so the whole printer runs X times
 * faster while keeping the ratios between wire, firmware and motion that
 * make hosts fail.
 */
export type Flavor = 'marlin' | 'prusa' | 'rrf' | 'klipper';
export type CpuProfile = 'avr' | '32bit';

export interface PrinterConfig {
  flavor: Flavor;
  profile: CpuProfile;
  /** Bits per second on the wire; 10 bits per byte. 0 = not paced (native USB, Klipper's pty). */
  baud: number;
  /** Delay added to every reply on its way to the host (USB bridge latency timer). */
  latencyMs: number;
  /** Delay added to host bytes before they reach the firmware (USB frame scheduling). */
  hostLatencyMs: number;
  advancedOk: boolean;
  emergencyParser: boolean;
  /**
   * Current Marlin follows `Resend: n` with `ok`; some 2.0.x-era builds,
   * Prusa 3.1.0 and forks send no ok there, which hosts must survive.
   */
  okAfterResend: boolean;
  /** Cap:HOST_ACTION_COMMANDS (off in stock Marlin; on when runout faults are injected). */
  hostActions: boolean;
  timeScale: number;
  /** UART receive ring; bytes beyond it are lost. `Infinity` for lossless links (native USB, Klipper). */
  rxBufferSize: number;
  /** Command queue slots (Marlin BUFSIZE). */
  commandSlots: number;
  /** Planner blocks (Marlin BLOCK_BUFFER_SIZE). */
  plannerBlocks: number;
  /** Firmware time to parse, plan and answer a G0–G3 line. */
  moveLineMs: number;
  /** Firmware time to parse and answer any other line. */
  otherLineMs: number;
  /**
   * Part of the per-line time spent reading each byte from the ring. When the
   * firmware is idle while a line arrives, that part overlaps the wire time
   * (which is why one line in flight reached 141 lines/s, not 1000/(6.3+wire)).
   */
  byteReadMs: number;
  /** Bootloader time after a reset, during which host bytes are lost. */
  bootMs: number;
  /** Marlin's HOST_KEEPALIVE interval (M113). */
  keepaliveS: number;
  homingMs: number;
  ambientC: number;
}

/** Per-line firmware cost measured on a simulated ATmega2560 (see marlin-real-replies.md): ~6.3 ms per short G1. */
const PROFILE_TIMES: Record<CpuProfile, Pick<PrinterConfig, 'moveLineMs' | 'otherLineMs' | 'byteReadMs'>> = {
  avr: { moveLineMs: 6.3, otherLineMs: 1.5, byteReadMs: 0.025 },
  '32bit': { moveLineMs: 0.8, otherLineMs: 0.25, byteReadMs: 0.003 },
};

export function defaultConfig(overrides: Partial<PrinterConfig> = {}): PrinterConfig {
  const flavor = overrides.flavor ?? 'marlin';
  const profile = overrides.profile ?? 'avr';
  // RRF (native USB) and Klipper (a pty inside the host) never drop bytes and ignore the baud rate.
  const lossless = flavor === 'rrf' || flavor === 'klipper';
  const base: PrinterConfig = {
    flavor,
    profile,
    baud: lossless ? 0 : 250_000,
    latencyMs: lossless ? 0 : 16,
    hostLatencyMs: 0,
    advancedOk: false,
    emergencyParser: false,
    okAfterResend: true,
    hostActions: false,
    timeScale: 1,
    rxBufferSize: lossless ? Number.POSITIVE_INFINITY : 128,
    commandSlots: flavor === 'klipper' ? 20 : 4,
    plannerBlocks: 16,
    ...PROFILE_TIMES[profile],
    bootMs: lossless ? 0 : 300,
    keepaliveS: 2,
    homingMs: 2000,
    ambientC: 25,
  };
  const merged = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  if (!(merged.timeScale > 0)) throw new RangeError(`timeScale must be > 0, got ${merged.timeScale}`);
  return merged;
}
