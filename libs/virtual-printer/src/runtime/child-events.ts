import type { HaltCause } from '../firmware/replies/index.js';

/**
 * What a printer running in the CLI with `--events` reports as it happens:
 * one stdout line `VP_EVENT {json}` per event. `at` is epoch ms (this
 * machine's clock) of the moment on the simulated wire, so another process
 * can compare it with its own `Date.now()`: for an M112 with the emergency
 * parser, the moment its line end arrived.
 */
export const EVENT_LINE_PREFIX = 'VP_EVENT ';

export interface ChildPrinterEvent {
  /** Index of the printer in the CLI's list (the order of its `VP_READY` lines). */
  printer: number;
  type: 'halted';
  cause: HaltCause;
  at: number;
}

export function formatChildEventLine(event: ChildPrinterEvent): string {
  return `${EVENT_LINE_PREFIX}${JSON.stringify(event)}`;
}

/** The event from a line of the CLI's stdout, or undefined for any other line. */
export function parseChildEventLine(line: string): ChildPrinterEvent | undefined {
  if (!line.startsWith(EVENT_LINE_PREFIX)) return undefined;
  return JSON.parse(line.slice(EVENT_LINE_PREFIX.length)) as ChildPrinterEvent;
}

/** Converts a time of the printer's clock (`performance.now()` based) to epoch ms. */
export function epochOf(at: number, nowPerformance: number, nowEpoch: number): number {
  return nowEpoch - (nowPerformance - at);
}
