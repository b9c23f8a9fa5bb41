/**
 * The printer's end of a link (pseudo-terminal or TCP), as the runtime sees it.
 */
export interface LinkCallbacks {
  data(chunk: Buffer): void;
  /** The host connected (TCP accept); pseudo-terminals cannot tell. */
  opened(): void;
  /** The host side went away (socket closed, pty pair gone). */
  closed(): void;
}

export interface LinkEndpoint {
  /** What the host opens: a device path or `tcp://host:port`. */
  readonly address: string;
  write(data: Buffer): void;
  /** Pulls the cable: the host sees the device or socket vanish. It comes back after `reconnectAfterMs`. */
  drop(reconnectAfterMs: number): void;
  close(): Promise<void>;
}
