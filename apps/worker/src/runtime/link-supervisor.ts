// Owns the printer's port: opens it when asked (or at start), reopens it
// with back-off after the device or bridge went away, closes it on request.
// One PortWorker per open port; its events are passed on unchanged.
import type { JobResult, CommandResult } from '@farm/serial-protocol';
import { PortWorker, type PortWorkerEvent, type PortWorkerOptions, type PrintRequest } from '../port/port-worker.js';
import { errorText, type Logger } from './logger.js';

export type SupervisorEvent =
  PortWorkerEvent | { type: 'link.connecting' } | { type: 'link.down'; error?: { code: string; message: string } };

export type LinkSupervisorOptions = {
  readonly open: Omit<PortWorkerOptions, 'port'> & { port: string };
  readonly onEvent: (event: SupervisorEvent) => void;
  readonly log: Logger;
  /** Reopen delays after a loss: doubling from `minMs` up to `maxMs`. */
  readonly retry?: { readonly minMs: number; readonly maxMs: number };
  /** Test seam: how a port worker is opened. */
  readonly openWorker?: (options: PortWorkerOptions, listener: (event: PortWorkerEvent) => void) => Promise<PortWorker>;
};

export class LinkSupervisor {
  #worker: PortWorker | undefined;
  #opening: Promise<void> | undefined;
  #wanted = false;
  #ready = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #failures = 0;
  #stopped = false;
  /** Bumped on every open and close, so events of an older port are ignored. */
  #generation = 0;

  constructor(private readonly options: LinkSupervisorOptions) {}

  get ready(): boolean {
    return this.#ready && this.#worker !== undefined;
  }

  get connected(): boolean {
    return this.#worker !== undefined;
  }

  get wanted(): boolean {
    return this.#wanted;
  }

  /** Opens the port (if not open) and keeps it open until `disconnect`. */
  connect(): void {
    if (this.#stopped) return;
    this.#wanted = true;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    if (this.#worker || this.#opening) return;
    this.#opening = this.#open().finally(() => (this.#opening = undefined));
  }

  async disconnect(): Promise<void> {
    this.#wanted = false;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    await this.#opening;
    await this.#closeWorker();
    this.options.onEvent({ type: 'link.down' });
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    await this.disconnect();
  }

  sendCommand(command: string): Promise<CommandResult> {
    if (!this.#worker)
      return Promise.resolve({ ok: false, code: 'not_ready', reason: 'the port is closed', lines: [] });
    return this.#worker.sendCommand(command);
  }

  print(request: PrintRequest): Promise<JobResult> {
    if (!this.#worker) return Promise.reject(new Error('the port is closed'));
    return this.#worker.print(request);
  }

  pause(): void {
    this.#worker?.pause();
  }

  resume(): void {
    this.#worker?.resume();
  }

  cancel(): void {
    this.#worker?.cancel();
  }

  /** M112 ahead of everything; false when no port is open to write it to. */
  emergencyStop(): boolean {
    if (!this.#worker) return false;
    this.#worker.emergencyStop();
    return true;
  }

  async #open(): Promise<void> {
    const generation = ++this.#generation;
    this.options.onEvent({ type: 'link.connecting' });
    const listener = (event: PortWorkerEvent): void => {
      if (generation !== this.#generation) return;
      this.#onPortEvent(event);
    };
    const open = this.options.openWorker ?? ((options, l) => PortWorker.open(options, l));
    try {
      const worker = await open(this.options.open, listener);
      if (generation !== this.#generation || !this.#wanted) {
        await worker.close().catch(() => undefined);
        return;
      }
      this.#worker = worker;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.options.log.warn('could not open the port', { error: errorText(error) });
      this.options.onEvent({
        type: 'link.down',
        error: { code: 'open-failed', message: errorText(error).slice(0, 500) },
      });
      this.#scheduleRetry();
    }
  }

  #onPortEvent(event: PortWorkerEvent): void {
    if (event.type === 'connection.state') {
      this.#ready = event.phase === 'ready';
      if (event.phase === 'ready') this.#failures = 0;
    }
    this.options.onEvent(event);
    // The device vanished, or the link gave up (no handshake): close what is left and try again later.
    const ended = event.type === 'transport.lost' || (event.type === 'connection.state' && event.phase === 'closed');
    const worker = this.#worker;
    if (ended && worker) {
      // After the current dispatch, so every listener sees this loss (link end, then transport loss) first.
      setImmediate(() => {
        if (this.#worker === worker) void this.#closeWorker().then(() => this.#scheduleRetry());
      });
    }
  }

  async #closeWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    this.#ready = false;
    this.#generation++;
    if (worker)
      await worker
        .close()
        .catch((error: unknown) => this.options.log.debug('closing the port failed', { error: errorText(error) }));
  }

  #scheduleRetry(): void {
    if (!this.#wanted || this.#stopped || this.#retryTimer) return;
    const { minMs, maxMs } = this.options.retry ?? { minMs: 1_000, maxMs: 30_000 };
    const delay = Math.min(maxMs, minMs * 2 ** Math.min(this.#failures, 16));
    this.#failures++;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      if (this.#wanted && !this.#worker && !this.#opening)
        this.#opening = this.#open().finally(() => (this.#opening = undefined));
    }, delay);
  }
}
