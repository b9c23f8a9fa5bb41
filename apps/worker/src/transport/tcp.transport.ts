import { Socket } from 'node:net';
import { TransportEvents } from './transport-events.js';
import { TransportError, type Transport, type TransportListener, type TransportState } from './transport.js';

export interface TcpTransportOptions {
  host: string;
  port: number;
  /** Give up connecting after this long (a bridge that is off never answers). */
  connectTimeoutMs?: number;
  log?: (note: string) => void;
}

/**
 * A network serial bridge (ser2net, ESP3D, the virtual printer's `--tcp`):
 * raw bytes over a TCP socket. Nagle is off so a 3-byte `ok` or a short G1
 * line is not held back waiting to be coalesced — that delay would cost as
 * much as an FTDI latency timer.
 */
export class TcpTransport implements Transport {
  readonly target: string;
  private readonly events = new TransportEvents();
  private readonly socket = new Socket();
  private readonly log: (note: string) => void;

  constructor(private readonly options: TcpTransportOptions) {
    this.target = `tcp://${options.host}:${options.port}`;
    this.log = options.log ?? (() => {});
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
    const socket = this.socket;
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no answer within ${this.options.connectTimeoutMs ?? 5000} ms`));
        }, this.options.connectTimeoutMs ?? 5000);
        socket.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
        socket.connect({ host: this.options.host, port: this.options.port, noDelay: true }, () => {
          clearTimeout(timer);
          socket.removeAllListeners('error');
          resolve();
        });
      });
    } catch (error) {
      this.events.state = 'closed';
      const message = error instanceof Error ? error.message : String(error);
      throw new TransportError('transport.open_failed', `cannot connect to ${this.target}: ${message}`, { cause: error });
    }
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 10_000);
    this.events.state = 'open';
    let lastError: Error | undefined;
    socket.on('data', (chunk: Buffer) => this.events.emit({ type: 'data', bytes: chunk }));
    socket.on('error', (error) => {
      lastError = error;
      this.events.emit({ type: 'error', error: new TransportError('transport.write_failed', error.message, { cause: error }) });
    });
    socket.on('close', () => {
      if (this.events.state === 'closing') this.events.end('closed');
      else {
        const cause = lastError?.message ?? 'connection closed by the bridge';
        this.log(`${this.target} vanished: ${cause}`);
        this.events.end({ vanished: cause });
      }
    });
    this.events.emit({ type: 'open' });
  }

  write(bytes: Uint8Array): void {
    if (this.events.state !== 'open') return;
    this.socket.write(bytes);
  }

  async close(): Promise<void> {
    if (this.events.state !== 'open') return;
    this.events.state = 'closing';
    await new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.destroy();
    });
  }
}
