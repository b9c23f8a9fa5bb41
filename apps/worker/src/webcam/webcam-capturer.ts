// Drives the snapshot schedule with a real clock: takes frames from the
// injected capture function and hands each to the injected sink (Redis, with
// an expiry, in the worker).
import type { Frame } from './frame-source.js';
import { DEFAULT_SCHEDULE, initialSchedule, nextCaptureAt, stepSchedule, type ScheduleConfig, type ScheduleEvent } from './snapshot-schedule.js';

export type FrameSink = (frame: Frame) => Promise<void>;

export type WebcamCapturerOptions = {
  readonly capture: () => Promise<Frame>;
  readonly sink: FrameSink;
  readonly schedule?: ScheduleConfig;
  readonly now?: () => number;
  readonly onError?: (error: unknown) => void;
};

export class WebcamCapturer {
  #state = initialSchedule;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #running = false;

  constructor(private readonly options: WebcamCapturerOptions) {}

  start(): void {
    this.#running = true;
    this.#apply({ type: 'tick', at: this.#now() });
  }

  /** How many people watch this printer now (from the manager, via Redis). */
  setWatchers(count: number): void {
    this.#apply({ type: 'watchers', at: this.#now(), count });
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    await this.#inFlight;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #config(): ScheduleConfig {
    return this.options.schedule ?? DEFAULT_SCHEDULE;
  }

  #apply(event: ScheduleEvent): void {
    if (!this.#running) return;
    const step = stepSchedule(this.#state, event, this.#config());
    this.#state = step.state;
    if (step.capture) this.#inFlight = this.#takeFrame();
    clearTimeout(this.#timer);
    const due = nextCaptureAt(this.#state, this.#config());
    if (due !== undefined) this.#timer = setTimeout(() => this.#apply({ type: 'tick', at: this.#now() }), Math.max(0, due - this.#now()));
  }

  async #takeFrame(): Promise<void> {
    let ok = false;
    try {
      await this.options.sink(await this.options.capture());
      ok = true;
    } catch (error) {
      this.options.onError?.(error);
    }
    this.#apply({ type: ok ? 'captured' : 'failed', at: this.#now() });
  }
}
