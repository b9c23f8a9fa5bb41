import { access } from 'node:fs/promises';
import { SerialPortStream } from '@serialport/stream';
import { SerialPort } from 'serialport';
import { DirectIoBinding } from './direct-io-binding.js';
import { requestLowLatency, type LowLatencyDeps } from './low-latency.js';
import { TransportEvents } from './transport-events.js';
import { TransportError, type Transport, type TransportListener, type TransportState } from './transport.js';

/** How often an open port checks that its device node still exists. */
export const DEVICE_CHECK_MS = 1_000;

export interface SerialTransportOptions {
  path: string;
  baudRate: number;
  /** Receives one line per noteworthy step (low-latency outcome, disconnect cause). */
  log?: (note: string) => void;
  /** Skip kernel latency tuning (tests on pseudo-terminals don't need it). */
  lowLatency?: boolean;
  /** Linux: read and write on the event loop's thread (default); false for serialport's thread-pool I/O. */
  directIo?: boolean;
  lowLatencyDeps?: LowLatencyDeps;
}

/**
 * A USB serial device or pseudo-terminal through `serialport`. The port is
 * opened exclusively (TIOCEXCL) so a second host fails fast instead of
 * interleaving lines with ours (serial-protocol.md §4, case 33).
 */
export class SerialTransport implements Transport {
  readonly target: string;
  private readonly events = new TransportEvents();
  private readonly port: SerialPortStream;
  private readonly log: (note: string) => void;
  private deviceCheck: NodeJS.Timeout | undefined;

  constructor(private readonly options: SerialTransportOptions) {
    this.target = options.path;
    this.log = options.log ?? (() => {});
    const settings = { path: options.path, baudRate: options.baudRate, autoOpen: false, lock: true };
    this.port =
      process.platform === 'linux' && options.directIo !== false
        ? new SerialPortStream({ ...settings, binding: DirectIoBinding })
        : new SerialPort(settings);
    this.port.on('data', (chunk: Buffer) => this.events.emit({ type: 'data', bytes: chunk }));
    this.port.on('error', (error: Error) =>
      this.events.emit({ type: 'error', error: new TransportError('transport.write_failed', error.message, { cause: error }) }),
    );
    this.port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      clearInterval(this.deviceCheck);
      if (this.events.state === 'closing' || !error) this.events.end('closed');
      else {
        this.log(`${this.target} vanished: ${error.message}`);
        this.events.end({ vanished: error.message });
      }
    });
  }

  get state(): TransportState {
    return this.events.state;
  }

  subscribe(listener: TransportListener): () => void {
    return this.events.subscribe(listener);
  }

  async open(): Promise<void> {
    if (this.events.state !== 'idle') throw new TransportError('transport.open_failed', `${this.target} was already opened once`);
    this.events.state = 'opening';
    try {
      await new Promise<void>((resolve, reject) => this.port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.events.state = 'closed';
      throw openError(this.target, error);
    }
    this.events.state = 'open';
    this.watchDeviceNode();
    if (this.options.lowLatency !== false) {
      // After our open, not before: opening an AVR board resets it, and a
      // helper that opened it first would reset it a second time.
      const result = await requestLowLatency(this.target, this.options.lowLatencyDeps);
      for (const note of result.notes) this.log(note);
    }
    this.events.emit({ type: 'open' });
  }

  /**
   * The read error that reports an unplugged device does not always come (a
   * pseudo-terminal whose other side went away under load, some USB-serial
   * drivers): a device node that disappeared means the device is gone too.
   */
  private watchDeviceNode(): void {
    this.deviceCheck = setInterval(() => {
      access(this.target).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT' || this.events.state !== 'open') return;
        clearInterval(this.deviceCheck);
        this.log(`${this.target} vanished: the device node is gone`);
        this.events.end({ vanished: 'the device node is gone' });
        this.port.close(() => undefined);
      });
    }, DEVICE_CHECK_MS);
    this.deviceCheck.unref();
  }

  write(bytes: Uint8Array): void {
    if (this.events.state !== 'open') return;
    this.port.write(Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes));
  }

  async close(): Promise<void> {
    clearInterval(this.deviceCheck);
    if (this.events.state !== 'open' && this.events.state !== 'opening') return;
    this.events.state = 'closing';
    await new Promise<void>((resolve) =>
      this.port.close((error) => {
        // "Port is not open" here means a disconnect won the race: already ended.
        if (error) this.events.end('closed');
        resolve();
      }),
    );
  }
}

function openError(target: string, error: unknown): TransportError {
  const message = error instanceof Error ? error.message : String(error);
  if (/no such file|ENOENT/i.test(message)) return new TransportError('transport.not_found', `${target} does not exist`, { cause: error });
  if (/cannot lock|resource temporarily unavailable|EBUSY|busy/i.test(message))
    return new TransportError('transport.busy', `${target} is in use by another program`, { cause: error });
  if (/permission denied|EACCES/i.test(message))
    return new TransportError('transport.permission', `no permission to open ${target} (is the user in the dialout group?)`, { cause: error });
  return new TransportError('transport.open_failed', `cannot open ${target}: ${message}`, { cause: error });
}
