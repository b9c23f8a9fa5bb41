/**
 * The firmware's receive side: the UART ring buffer the RX interrupt fills
 * (bytes that find it full are lost, as on a real board) and the main loop's
 * line assembler that drains it, applying Marlin's input filter: `;` starts a
 * comment up to the line end, `\` escapes the next character and is dropped,
 * characters beyond the command size are discarded, CR and LF both end a line,
 * empty lines are skipped.
 */
export class SerialReceiver {
  private ring: Uint8Array;
  private head = 0;
  private size = 0;
  private readonly line: Buffer;
  private lineLength = 0;
  private inComment = false;
  private escaped = false;
  dropped = 0;

  constructor(
    private readonly capacity: number,
    private readonly maxCommandLength: number,
  ) {
    this.ring = new Uint8Array(Number.isFinite(capacity) ? capacity : 4096);
    this.line = Buffer.alloc(maxCommandLength);
  }

  get buffered(): number {
    return this.size;
  }

  /** Stores one byte from the wire; returns false when the ring was full and the byte was lost. */
  receive(byte: number): boolean {
    if (this.size === this.ring.length) {
      if (Number.isFinite(this.capacity)) {
        this.dropped++;
        return false;
      }
      this.grow();
    }
    this.ring[(this.head + this.size) % this.ring.length] = byte;
    this.size++;
    return true;
  }

  /** Drains the ring into the line buffer; returns the next complete line, or undefined when the ring ran dry. */
  readLine(): string | undefined {
    while (this.size > 0) {
      const byte = this.ring[this.head] as number;
      this.head = (this.head + 1) % this.ring.length;
      this.size--;
      if (byte === 10 || byte === 13) {
        const length = this.lineLength;
        this.resetLine();
        if (length > 0) return this.line.toString('latin1', 0, length);
        continue;
      }
      if (this.inComment) continue;
      if (!this.escaped && byte === 59 /* ; */) {
        this.inComment = true;
        continue;
      }
      if (!this.escaped && byte === 92 /* \ */) {
        this.escaped = true;
        continue;
      }
      this.escaped = false;
      if (this.lineLength < this.maxCommandLength) this.line[this.lineLength++] = byte;
    }
    return undefined;
  }

  /** Marlin empties its whole receive buffer after a line error: everything in flight is discarded. */
  flush(): void {
    this.head = 0;
    this.size = 0;
    this.resetLine();
  }

  private resetLine(): void {
    this.lineLength = 0;
    this.inComment = false;
    this.escaped = false;
  }

  private grow(): void {
    const next = new Uint8Array(this.ring.length * 2);
    for (let i = 0; i < this.size; i++) next[i] = this.ring[(this.head + i) % this.ring.length] as number;
    this.ring = next;
    this.head = 0;
  }
}
