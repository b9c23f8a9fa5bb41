// Coalesces state writes: a status change goes out at once, progress and
// temperature changes at most every `intervalMs`, always with the latest state.
import type { PrinterLiveState } from '@farm/contracts';

export type StateWriterOptions = {
  readonly write: (state: PrinterLiveState) => void;
  readonly intervalMs?: number;
  readonly now?: () => number;
};

export class StateWriter {
  #pending: PrinterLiveState | undefined;
  #lastWrite = Number.NEGATIVE_INFINITY;
  #lastStatus: string | undefined;
  #lastError: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: StateWriterOptions) {}

  update(state: PrinterLiveState): void {
    this.#pending = state;
    const errorKey = state.error ? `${state.error.code}:${state.error.message}` : undefined;
    const urgent = state.status !== this.#lastStatus || errorKey !== this.#lastError;
    const interval = this.options.intervalMs ?? 500;
    const wait = this.#lastWrite + interval - this.#now();
    if (urgent || wait <= 0) {
      this.flush();
      return;
    }
    this.#timer ??= setTimeout(() => this.flush(), wait);
  }

  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const state = this.#pending;
    if (!state) return;
    this.#pending = undefined;
    this.#lastWrite = this.#now();
    this.#lastStatus = state.status;
    this.#lastError = state.error ? `${state.error.code}:${state.error.message}` : undefined;
    this.options.write(state);
  }

  /** Drops anything pending (the shutdown writes the final state itself). */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pending = undefined;
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
