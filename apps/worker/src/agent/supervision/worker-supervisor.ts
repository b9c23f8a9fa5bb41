// Drives the supervision state machine with real child processes and timers.
import { DEFAULT_BACKOFF, initialSupervisor, type DesiredWorker, nextWakeAt, stepSupervisor, type BackoffPolicy, type SupervisorAction, type SupervisorEvent } from './supervision.js';
import type { ChildHandle, SpawnWorker } from './worker-process.js';

export type WorkerSupervisorOptions = {
  readonly spawnWorker: SpawnWorker;
  readonly policy?: BackoffPolicy;
  readonly now?: () => number;
  /** After SIGTERM, how long a worker gets to close its port before SIGKILL. */
  readonly killTimeoutMs?: number;
  /** Every decision, for logs and the restart metric. */
  readonly onAction?: (action: SupervisorAction) => void;
  readonly onExit?: (printerId: string, code: number | null, signal: NodeJS.Signals | null) => void;
};

export class WorkerSupervisor {
  #state = initialSupervisor;
  readonly #handles = new Map<string, ChildHandle>();
  readonly #exitWaiters: Array<() => void> = [];
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(private readonly options: WorkerSupervisorOptions) {}

  /** The farm's first admin exists: workers may now open serial ports. */
  openGate(): void {
    this.#apply({ type: 'gate-opened', at: this.#now() });
  }

  /** The adopted printers currently plugged into this host, each with its worker spec. */
  setWorkers(workers: readonly DesiredWorker[]): void {
    if (!this.#stopped) this.#apply({ type: 'desired', at: this.#now(), workers });
  }

  running(): string[] {
    return [...this.#handles.keys()];
  }

  /** Every worker the supervisor holds now: running (with its pid), waiting out a back-off, or stopping. */
  workers(): Array<{ printerId: string; state: 'running' | 'backoff' | 'stopping'; pid: number | undefined }> {
    return [...this.#state.children].map(([printerId, child]) => ({ printerId, state: child.kind, pid: this.#handles.get(printerId)?.pid }));
  }

  /** Stops every worker and resolves once all have exited. */
  async stop(): Promise<void> {
    this.#apply({ type: 'desired', at: this.#now(), workers: [] });
    this.#stopped = true;
    clearTimeout(this.#timer);
    while (this.#handles.size > 0) await new Promise<void>((resolve) => this.#exitWaiters.push(resolve));
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }

  #apply(event: SupervisorEvent): void {
    const step = stepSupervisor(this.#state, event, this.options.policy ?? DEFAULT_BACKOFF);
    this.#state = step.state;
    for (const action of step.actions) {
      this.options.onAction?.(action);
      switch (action.type) {
        case 'spawn':
          this.#spawn(action.printerId, action.spec);
          break;
        case 'kill':
          this.#kill(action.printerId);
          break;
        case 'restart-scheduled':
          break;
      }
    }
    this.#schedule();
  }

  #spawn(printerId: string, spec: string): void {
    const handle = this.options.spawnWorker(printerId, spec);
    this.#handles.set(printerId, handle);
    handle.onExit((code, signal) => {
      this.#handles.delete(printerId);
      this.options.onExit?.(printerId, code, signal);
      for (const wake of this.#exitWaiters.splice(0)) wake();
      this.#apply({ type: 'exited', at: this.#now(), printerId });
    });
  }

  #kill(printerId: string): void {
    const handle = this.#handles.get(printerId);
    if (handle === undefined) return;
    handle.kill('SIGTERM');
    const force = setTimeout(() => {
      if (this.#handles.get(printerId) === handle) handle.kill('SIGKILL');
    }, this.options.killTimeoutMs ?? 5_000);
    force.unref();
    handle.onExit(() => clearTimeout(force));
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    const wake = nextWakeAt(this.#state);
    if (wake === undefined || this.#stopped) return;
    this.#timer = setTimeout(() => this.#apply({ type: 'tick', at: this.#now() }), Math.max(0, wake - this.#now()));
  }
}
