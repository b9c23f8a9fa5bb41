// Runs the heater watchdog inside a port worker: feeds it events, ticks it
// every second so stale readings and idle time are noticed even when the
// printer says nothing, and performs its actions through injected callbacks
// (the worker writes M112 out of band, or M104 S0 / M140 S0 / M141 S0).
import { initialWatchdog, stepWatchdog, type WatchdogState } from './heater-watchdog.js';
import type { WatchdogConfig } from './watchdog-config.js';
import type { WatchdogAction, WatchdogEvent } from './watchdog-types.js';

export type WatchdogRunnerOptions = {
  readonly config: WatchdogConfig;
  readonly onAction: (action: WatchdogAction) => void;
  readonly now?: () => number;
  readonly tickMs?: number;
};

export class WatchdogRunner {
  #state: WatchdogState;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: WatchdogRunnerOptions) {
    this.#state = initialWatchdog(this.#now());
  }

  start(): void {
    this.#timer = setInterval(() => this.feed({ type: 'tick', at: this.#now() }), this.options.tickMs ?? 1_000);
  }

  stop(): void {
    clearInterval(this.#timer);
  }

  feed(event: WatchdogEvent): void {
    const step = stepWatchdog(this.#state, event, this.options.config);
    this.#state = step.state;
    for (const action of step.actions) this.options.onAction(action);
  }

  get tripped(): boolean {
    return this.#state.tripped !== undefined;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
