import type { GcodeLine } from '@farm/gcode';
import type { LinkConfig } from './engine/config.js';
import { initialState, transition } from './engine/transition.js';
import type { CommandResult, Effect, EngineInput, EngineState, JobResult, LinkEvent, TimerName } from './engine/types.js';

/** The byte pipe to the printer: a serial port, a TCP socket, a test double. */
export interface Transport {
  /** Resolves once the bytes are handed to the OS; rejects if the port failed. */
  write(data: Uint8Array): Promise<void>;
  close(): Promise<void>;
  /** The driver registers its handlers once, before `open()`. */
  setHandlers(handlers: { data(chunk: Uint8Array): void; closed(reason?: string): void }): void;
  /** Optional: discard output the OS still holds (tcflush), used before an emergency stop. */
  discardOutput?(): Promise<void>;
}

export interface Clock {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface PrintJob {
  id: string;
  /** Clean lines, pulled on demand (e.g. `readGcodeLines(path)`); closed when the job ends. */
  lines: AsyncIterable<GcodeLine>;
  totalBytes?: number;
  totalLines?: number;
}

export interface PrinterLinkOptions {
  transport: Transport;
  clock?: Clock;
  config?: Partial<LinkConfig>;
}

const encoder = new TextEncoder();

/**
 * The thin driver: feeds transport data, timer expiries and API calls into
 * the engine and carries out the effects. It holds no protocol logic.
 */
export class PrinterLink {
  private state: EngineState;
  private readonly transport: Transport;
  private readonly clock: Clock;
  private readonly timers = new Map<TimerName, unknown>();
  private readonly listeners = new Set<(event: LinkEvent) => void>();
  private readonly commandWaiters = new Map<string, (result: CommandResult) => void>();
  private readonly jobWaiters = new Map<string, (result: JobResult) => void>();
  private readonly sources = new Map<string, AsyncIterator<GcodeLine>>();
  private readonly inbox: EngineInput[] = [];
  private dispatching = false;
  private nextCommandId = 1;

  constructor(options: PrinterLinkOptions) {
    this.state = initialState(options.config);
    this.transport = options.transport;
    this.clock = options.clock ?? systemClock;
    this.transport.setHandlers({
      data: (chunk) => this.dispatch({ type: 'data', chunk }),
      closed: (reason) => this.dispatch({ type: 'closed', reason: reason ?? 'port closed' }),
    });
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  on(listener: (event: LinkEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The transport is open: wait for the firmware, handshake, then report `ready`. */
  open(): void {
    this.dispatch({ type: 'opened' });
  }

  get snapshot(): Readonly<EngineState> {
    return this.state;
  }

  /** Streams a job; resolves with its result (completed, cancelled, failed or interrupted). */
  startJob(job: PrintJob): Promise<JobResult> {
    const done = new Promise<JobResult>((resolve) => this.jobWaiters.set(job.id, resolve));
    this.sources.set(job.id, job.lines[Symbol.asyncIterator]());
    const input: EngineInput = { type: 'startJob', id: job.id };
    if (job.totalBytes !== undefined) input.totalBytes = job.totalBytes;
    if (job.totalLines !== undefined) input.totalLines = job.totalLines;
    this.dispatch(input);
    return done;
  }

  pause(): void {
    this.dispatch({ type: 'pause' });
  }

  resume(): void {
    this.dispatch({ type: 'resume' });
  }

  cancel(): void {
    this.dispatch({ type: 'cancel' });
  }

  /** M112 now, ahead of everything queued. */
  emergencyStop(): void {
    this.dispatch({ type: 'emergencyStop' });
  }

  answerPrompt(choice: number): void {
    this.dispatch({ type: 'answerPrompt', choice });
  }

  /** A terminal/control command, interleaved with a running job ahead of its lines. */
  sendCommand(command: string): Promise<CommandResult> {
    const id = `c${this.nextCommandId++}`;
    const result = new Promise<CommandResult>((resolve) => this.commandWaiters.set(id, resolve));
    this.dispatch({ type: 'command', id, command });
    return result;
  }

  close(): void {
    this.dispatch({ type: 'close' });
  }

  private dispatch(input: EngineInput): void {
    this.inbox.push(input);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.inbox.shift(); next; next = this.inbox.shift()) {
        const { state, effects } = transition(this.state, next);
        this.state = state;
        for (const effect of effects) this.run(effect);
      }
    } finally {
      this.dispatching = false;
    }
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'write':
        this.transport.write(encoder.encode(effect.text)).catch((error: unknown) => this.writeFailed(error));
        return;
      case 'writeEmergency':
        this.writeEmergency(effect.text);
        return;
      case 'setTimer': {
        this.clearTimer(effect.name);
        const name = effect.name;
        this.timers.set(name, this.clock.setTimeout(() => {
          this.timers.delete(name);
          this.dispatch({ type: 'timer', name });
        }, effect.ms));
        return;
      }
      case 'cancelTimer':
        this.clearTimer(effect.name);
        return;
      case 'pullLines':
        void this.pull(effect.jobId, effect.max);
        return;
      case 'releaseSource':
        this.release(effect.jobId);
        return;
      case 'commandResult':
        this.commandWaiters.get(effect.id)?.(effect.result);
        this.commandWaiters.delete(effect.id);
        return;
      case 'emit':
        this.deliver(effect.event);
        return;
      case 'close':
        for (const name of [...this.timers.keys()]) this.clearTimer(name);
        this.transport.close().catch(() => undefined);
        return;
    }
  }

  private deliver(event: LinkEvent): void {
    if (event.type === 'job.finished') {
      this.jobWaiters.get(event.jobId)?.(event.result);
      this.jobWaiters.delete(event.jobId);
    }
    for (const listener of this.listeners) listener(event);
  }

  private writeEmergency(text: string): void {
    const bytes = encoder.encode(text);
    const discard = this.transport.discardOutput?.() ?? Promise.resolve();
    // Written at once, not after the discard: a slow tcflush must not delay the stop.
    this.transport.write(bytes).catch((error: unknown) => this.writeFailed(error));
    discard.catch(() => undefined);
  }

  private writeFailed(error: unknown): void {
    this.dispatch({ type: 'closed', reason: `write failed: ${error instanceof Error ? error.message : String(error)}` });
  }

  private clearTimer(name: TimerName): void {
    const handle = this.timers.get(name);
    if (handle === undefined) return;
    this.clock.clearTimeout(handle);
    this.timers.delete(name);
  }

  private async pull(jobId: string, max: number): Promise<void> {
    const source = this.sources.get(jobId);
    if (!source) return;
    const lines: GcodeLine[] = [];
    try {
      let done = false;
      while (lines.length < max) {
        const next = await source.next();
        if (next.done) {
          done = true;
          break;
        }
        lines.push(next.value);
      }
      this.dispatch({ type: 'lines', jobId, lines, done });
    } catch (error) {
      this.dispatch({ type: 'sourceFailed', jobId, reason: error instanceof Error ? error.message : String(error) });
    }
  }

  private release(jobId: string): void {
    const source = this.sources.get(jobId);
    this.sources.delete(jobId);
    source?.return?.().catch(() => undefined);
  }
}
