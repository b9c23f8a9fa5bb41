import { frameLine } from '@farm/gcode';
import type { PrinterConfig } from '../src/config/printer-config.js';
import { defaultConfig } from '../src/config/printer-config.js';
import type { FaultSpec } from '../src/faults/fault-spec.js';
import { Firmware } from '../src/firmware/firmware.js';

/** Drives a Firmware with a hand-held clock, the way the runtime's timers would. */
export class SimHarness {
  readonly firmware: Firmware;
  now = 0;
  private received = '';

  constructor(config: Partial<PrinterConfig> = {}, faults?: FaultSpec) {
    this.firmware = new Firmware({ config: defaultConfig(config), ...(faults ? { faults } : {}) });
  }

  send(text: string): void {
    this.firmware.hostBytes(Buffer.from(text, 'latin1'), this.now);
    this.firmware.advance(this.now);
  }

  sendFramed(n: number, command: string): void {
    this.send(`${frameLine(n, command)}\n`);
  }

  /** Moves the clock forward by `ms`, waking the firmware at every event on the way. */
  run(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = this.firmware.nextWakeAt();
      if (next === undefined || next > end) break;
      this.now = Math.max(this.now, next);
      this.firmware.advance(this.now);
      this.received += this.firmware.takeOutput(this.now);
    }
    this.now = end;
    this.firmware.advance(end);
    this.received += this.firmware.takeOutput(end);
  }

  /** Runs until `predicate` holds for the received lines or `limitMs` passes. */
  runUntil(predicate: (lines: string[]) => boolean, limitMs = 600_000): string[] {
    const end = this.now + limitMs;
    while (this.now < end && !predicate(this.lines())) {
      const next = this.firmware.nextWakeAt();
      this.run(next === undefined ? end - this.now : Math.max(next - this.now, 0.001));
    }
    return this.lines();
  }

  lines(): string[] {
    return this.received.split('\n').filter((l) => l !== '');
  }

  /** Received lines since the last call. */
  drain(): string[] {
    const out = this.lines();
    this.received = '';
    return out;
  }

  executed(): string[] {
    return this.firmware.recorder.executed.map((e) => e.command);
  }
}
