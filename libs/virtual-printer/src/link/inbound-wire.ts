/**
 * Host → firmware direction of a UART: bytes written by the host arrive one
 * after another at the wire's byte rate (10 bits per byte), never faster.
 * A pseudo-terminal delivers a whole write at once, so the pacing is modelled
 * here: each byte gets an arrival time, and the firmware takes bytes lazily up
 * to the current simulated time (no timer per byte).
 */
interface Chunk {
  data: Uint8Array;
  /** Arrival time of byte i is `start + (i + 1) * byteMs`. */
  start: number;
}

export class InboundWire {
  private readonly chunks: Chunk[] = [];
  /** Bytes of chunks[0] already delivered. */
  private offset = 0;
  private busyUntil = 0;
  /** Where the search for the next end-of-line resumes: chunk index and byte index. */
  private scanChunk = 0;
  private scanByte = 0;
  private eolAt: number | undefined;

  constructor(
    private readonly byteMs: number,
    private readonly latencyMs: number,
  ) {}

  push(data: Uint8Array, now: number): void {
    if (data.length === 0) return;
    const start = Math.max(now + this.latencyMs, this.busyUntil);
    this.chunks.push({ data, start });
    this.busyUntil = start + data.length * this.byteMs;
  }

  get pending(): boolean {
    return this.chunks.length > 0;
  }

  /** Arrival time of the next line end not yet delivered, if any is on the wire. */
  nextLineEndAt(): number | undefined {
    if (this.eolAt !== undefined) return this.eolAt;
    while (this.scanChunk < this.chunks.length) {
      const chunk = this.chunks[this.scanChunk];
      if (!chunk) break;
      const data = chunk.data;
      for (let i = this.scanByte; i < data.length; i++) {
        const b = data[i];
        if (b === 10 || b === 13) {
          this.scanByte = i;
          this.eolAt = chunk.start + (i + 1) * this.byteMs;
          return this.eolAt;
        }
      }
      this.scanChunk++;
      this.scanByte = 0;
    }
    return undefined;
  }

  /** Hands every byte that has arrived by `now` to `sink`, in order. */
  deliver(now: number, sink: (byte: number) => void): void {
    while (this.chunks.length > 0) {
      const chunk = this.chunks[0];
      if (!chunk) break;
      const arrived = this.byteMs === 0 ? chunk.data.length : Math.floor((now - chunk.start) / this.byteMs + 1e-6);
      const upTo = Math.min(chunk.data.length, Math.max(arrived, 0));
      for (let i = this.offset; i < upTo; i++) sink(chunk.data[i] as number);
      if (upTo > this.offset) this.afterDelivered(upTo);
      if (upTo < chunk.data.length) return;
      this.chunks.shift();
      this.offset = 0;
      if (this.scanChunk > 0) this.scanChunk--;
      else this.scanByte = 0;
    }
  }

  /** Everything still on the wire is lost (cable pulled, board reset). */
  clear(): void {
    this.chunks.length = 0;
    this.offset = 0;
    this.scanChunk = 0;
    this.scanByte = 0;
    this.eolAt = undefined;
  }

  private afterDelivered(upTo: number): void {
    this.offset = upTo;
    if (this.scanChunk === 0 && this.scanByte < upTo) {
      this.scanByte = upTo;
      this.eolAt = undefined;
    }
  }
}
