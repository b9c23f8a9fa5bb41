import {
  PrinterLink,
  systemClock,
  type Clock,
  type CommandResult,
  type FirmwareInfo,
  type FlowControl,
  type JobResult,
  type LineGuard,
  type LinkConfig,
  type LinkEvent,
} from '@farm/serial-protocol';
import type { GcodeLine } from '@farm/gcode';
import { createTransport, parseTransportTarget, type CreateTransportOptions, type TransportTarget } from '../transport/open-transport.js';
import type { Transport } from '../transport/transport.js';
import { openJobSource } from './job-source.js';
import { linkTransportFor } from './link-transport.js';

/**
 * The port worker's core: one transport, one protocol driver, one printer.
 * It opens the port, runs the engine with the real clock and the safety
 * guard, and turns transport loss into the engine's disconnect, so a job
 * that was running ends `interrupted` with the last acknowledged file line
 * and byte offset. No Redis here: the queue wiring sits on top of this.
 */
export type PortWorkerEvent =
  | LinkEvent
  | { type: 'transport.opened'; target: string }
  | { type: 'transport.note'; text: string }
  /** The device or bridge went away (unplugged, pty closed, socket reset). */
  | { type: 'transport.lost'; target: string; cause: string }
  | { type: 'transport.closed'; target: string };

export interface PortWorkerOptions {
  /** A device path or `tcp://host:port`. */
  port: string | TransportTarget;
  baudRate: number;
  /** The safety guard, called on every line right before it is written. Required: there is no unguarded worker. */
  guard: LineGuard;
  /** Per-printer link settings: flow control, receive buffer, scripts, timeouts. */
  link?: Partial<Omit<LinkConfig, 'guard'>>;
  clock?: Clock;
  /** Skip kernel latency tuning (default on). */
  lowLatency?: boolean;
  /** Serial devices on Linux: reads and writes on the event loop's thread (default on; see direct-io-binding.ts). */
  directIo?: boolean;
  /** Builds the transport; tests may substitute one. */
  createTransport?: (target: TransportTarget, options: CreateTransportOptions) => Transport;
}

export interface PrintRequest {
  id: string;
  /** A plain or binary G-code file. */
  path?: string;
  /** Or clean lines from elsewhere. */
  lines?: AsyncIterable<GcodeLine>;
  totalBytes?: number;
}

export class PortWorkerError extends Error {
  override readonly name = 'PortWorkerError';
  constructor(
    readonly code: 'port.handshake_failed' | 'port.not_ready' | 'port.bad_request',
    message: string,
  ) {
    super(message);
  }
}

export class PortWorker {
  private readonly listeners = new Set<(event: PortWorkerEvent) => void>();
  private readonly link: PrinterLink;
  private firmware: FirmwareInfo | null = null;
  private flow: FlowControl | null = null;

  private constructor(
    readonly transport: Transport,
    options: PortWorkerOptions,
  ) {
    this.link = new PrinterLink({
      transport: linkTransportFor(transport),
      clock: options.clock ?? systemClock,
      config: { ...options.link, guard: options.guard },
    });
    this.link.on((event) => {
      if (event.type === 'firmware.info') {
        this.firmware = event.firmware;
        this.flow = event.flow;
      }
      this.emit(event);
    });
    transport.subscribe((event) => {
      switch (event.type) {
        case 'open':
          this.emit({ type: 'transport.opened', target: transport.target });
          return;
        case 'vanished':
          this.emit({ type: 'transport.lost', target: transport.target, cause: event.cause });
          return;
        case 'closed':
          this.emit({ type: 'transport.closed', target: transport.target });
          return;
        case 'error':
          this.emit({ type: 'transport.note', text: `${transport.target}: ${event.error.message}` });
          return;
        case 'data':
          return;
      }
    });
  }

  /**
   * Opens the port and starts the handshake. Listeners given here see every
   * event from the first byte on (e.g. the terminal log of the handshake).
   */
  static async open(options: PortWorkerOptions, listener?: (event: PortWorkerEvent) => void): Promise<PortWorker> {
    const target = typeof options.port === 'string' ? parseTransportTarget(options.port) : options.port;
    const notes: string[] = [];
    const transport = (options.createTransport ?? createTransport)(target, {
      baudRate: options.baudRate,
      log: (text) => notes.push(text),
      ...(options.lowLatency !== undefined ? { lowLatency: options.lowLatency } : {}),
      ...(options.directIo !== undefined ? { directIo: options.directIo } : {}),
    });
    const worker = new PortWorker(transport, options);
    if (listener) worker.subscribe(listener);
    await transport.open();
    for (const text of notes) worker.emit({ type: 'transport.note', text });
    worker.link.open();
    return worker;
  }

  subscribe(listener: (event: PortWorkerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get firmwareInfo(): FirmwareInfo | null {
    return this.firmware;
  }

  /** The flow control the engine settled on (after `auto` detection). */
  get flowControl(): FlowControl | null {
    return this.flow;
  }

  /** Resolves when the handshake is done; rejects if the link ends or halts first. */
  waitReady(timeoutMs = 30_000): Promise<FirmwareInfo | null> {
    if (this.link.snapshot.phase === 'ready') return Promise.resolve(this.firmware);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new PortWorkerError('port.handshake_failed', `no handshake with the printer within ${timeoutMs} ms`));
      }, timeoutMs);
      const off = this.subscribe((event) => {
        if (event.type !== 'connection.state') return;
        if (event.phase === 'ready') {
          clearTimeout(timer);
          off();
          resolve(this.firmware);
        } else if (event.phase === 'closed' || event.phase === 'halted') {
          clearTimeout(timer);
          off();
          reject(new PortWorkerError('port.handshake_failed', `the link ended before the printer was ready: ${event.reason ?? event.phase}`));
        }
      });
    });
  }

  /** Streams a file (or lines); resolves with the job's result. */
  async print(request: PrintRequest): Promise<JobResult> {
    if (this.link.snapshot.phase !== 'ready') throw new PortWorkerError('port.not_ready', `the printer is not ready (${this.link.snapshot.phase})`);
    if (request.path !== undefined) {
      const source = await openJobSource(request.path);
      return this.link.startJob({
        id: request.id,
        lines: source.lines,
        ...(source.totalBytes !== undefined ? { totalBytes: source.totalBytes } : {}),
      });
    }
    if (request.lines === undefined) throw new PortWorkerError('port.bad_request', 'a print needs a file path or lines');
    return this.link.startJob({ id: request.id, lines: request.lines, ...(request.totalBytes !== undefined ? { totalBytes: request.totalBytes } : {}) });
  }

  sendCommand(command: string): Promise<CommandResult> {
    return this.link.sendCommand(command);
  }

  pause(): void {
    this.link.pause();
  }

  resume(): void {
    this.link.resume();
  }

  cancel(): void {
    this.link.cancel();
  }

  /** M112 ahead of everything queued; the job ends interrupted. */
  emergencyStop(): void {
    this.link.emergencyStop();
  }

  answerPrompt(choice: number): void {
    this.link.answerPrompt(choice);
  }

  /** Ends the link and closes the port (a running job ends interrupted). */
  async close(): Promise<void> {
    this.link.close();
    await this.transport.close();
  }

  private emit(event: PortWorkerEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}
