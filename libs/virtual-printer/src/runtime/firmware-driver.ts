import type { Firmware, FirmwareSignal } from '../firmware/firmware.js';
import { SimulatorTimingMeter, type SimulatorTiming } from './simulator-timing.js';

/**
 * Runs a Firmware in real time: one timer per printer, set for the next event
 * the simulation reports; events that are due are processed together, so a
 * burst of replies costs one wake-up and one write. Timers may fire late; the
 * simulation still handles each event at its exact time.
 */
export interface DriverIo {
  write(data: Buffer): void;
  signal(signal: FirmwareSignal): void;
  now(): number;
}

// Node timers fire 0.4–0.9 ms late; handling internal events up to 1 ms early and
// replies up to 0.5 ms early keeps a ping-pong cycle from paying that on every hop.
const LOOKAHEAD_MS = 1;
const OUTPUT_EARLY_MS = 0.5;

export class FirmwareDriver {
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private stopped = false;
  private readonly timing = new SimulatorTimingMeter();

  constructor(
    private readonly firmware: Firmware,
    private readonly io: DriverIo,
  ) {}

  hostBytes(data: Buffer): void {
    if (this.stopped) return;
    const now = this.io.now();
    this.firmware.advance(now);
    this.firmware.hostBytes(data, now);
    this.pump();
  }

  /** Runs `action` against the firmware at the current time, then flushes its effects. */
  act(action: (now: number) => void): void {
    if (this.stopped) return;
    const now = this.io.now();
    this.firmware.advance(now);
    action(now);
    this.pump();
  }

  pump(): void {
    if (this.stopped) return;
    for (let round = 0; round < 64; round++) {
      const now = this.io.now();
      const signals = this.firmware.advance(now, LOOKAHEAD_MS);
      const out = this.firmware.takeOutput(now + OUTPUT_EARLY_MS);
      if (out.length > 0) this.io.write(Buffer.from(out, 'latin1'));
      for (const signal of signals) this.io.signal(signal);
      const next = this.firmware.nextWakeAt();
      if (next === undefined) {
        this.clearTimer();
        return;
      }
      // Within the early window: handle it now rather than sleep a whole timer tick.
      if (next - this.io.now() > OUTPUT_EARLY_MS) {
        this.schedule(next);
        return;
      }
    }
    this.schedule(this.io.now() + 1);
  }

  /** How late this printer's timer has woken so far. */
  timingStats(): SimulatorTiming {
    return this.timing.snapshot();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  private schedule(at: number): void {
    if (this.timer && this.timerAt <= at) return;
    this.clearTimer();
    this.timerAt = at;
    this.timer = setTimeout(() => {
      this.timing.woke(at, this.io.now());
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.pump();
    }, Math.max(1, Math.floor(at - this.io.now())));
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }
}
