// The port runtime's public shapes: how it is started, the knobs tests turn,
// the print seam, and its refusals.
import type { LinkConfig } from '@farm/serial-protocol';
import type { WatchdogConfig } from '../watchdog/index.js';
import type { ScheduleConfig } from '../webcam/index.js';
import type { WorkerConfig } from './config/worker-config.js';
import type { Logger } from './logger.js';

/** Knobs tests turn (faster timers); production uses the defaults. */
export type RuntimeTuning = {
  readonly heartbeatMs?: number;
  readonly stateIntervalMs?: number;
  readonly logLinesPerSecond?: number;
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  readonly watchdog?: Partial<Omit<WatchdogConfig, 'maxC'>>;
  readonly link?: Partial<Omit<LinkConfig, 'guard'>>;
  readonly webcamSchedule?: ScheduleConfig;
  readonly connectTimeoutMs?: number;
  readonly pid?: number;
  /** How long start waits for Redis before running without it. */
  readonly redisReadyTimeoutMs?: number;
};

export type PortRuntimeOptions = {
  readonly config: WorkerConfig;
  readonly log: Logger;
  readonly tuning?: RuntimeTuning;
};

/** Where a print comes from: the seam the farm queue (BullMQ) plugs into. */
export type PrintStart = { readonly jobId: string; readonly path: string };

export class PortRuntimeError extends Error {
  override readonly name = 'PortRuntimeError';
  constructor(
    readonly code: 'not-connected' | 'busy',
    message: string,
  ) {
    super(message);
  }
}
