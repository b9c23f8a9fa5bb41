/**
 * One byte stream to a printer, whatever carries it: a USB serial device, a
 * pseudo-terminal, or a TCP socket to a network serial bridge.
 *
 * The one distinction the port worker cares about when a stream ends is who
 * ended it: `closed` means we called `close()`; `vanished` means the other side
 * went away (USB unplugged, pty closed, socket reset) — a running print is then
 * interrupted, never silently finished.
 */
export type TransportEvent =
  | { type: 'open' }
  | { type: 'data'; bytes: Uint8Array }
  | { type: 'error'; error: TransportError }
  | { type: 'closed' }
  | { type: 'vanished'; cause: string };

export type TransportListener = (event: TransportEvent) => void;

export type TransportState = 'idle' | 'opening' | 'open' | 'closing' | 'closed' | 'vanished';

export interface Transport {
  /** What this transport talks to (`/dev/ttyUSB0`, `tcp://host:port`), for logs. */
  readonly target: string;
  readonly state: TransportState;
  /** Resolves once open; rejects with a `TransportError` (the port stays closed). */
  open(): Promise<void>;
  /**
   * Queues bytes for the wire in call order. Never throws: a failed write
   * surfaces as an `error` event and, if the link is gone, `vanished`.
   */
  write(bytes: Uint8Array): void;
  /** Ends the stream from our side; emits `closed` once (not `vanished`). */
  close(): Promise<void>;
  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: TransportListener): () => void;
}

export type TransportErrorCode =
  | 'transport.not_found'
  | 'transport.busy'
  | 'transport.permission'
  | 'transport.open_failed'
  | 'transport.write_failed'
  | 'transport.bad_target';

export class TransportError extends Error {
  override readonly name = 'TransportError';
  constructor(
    readonly code: TransportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
