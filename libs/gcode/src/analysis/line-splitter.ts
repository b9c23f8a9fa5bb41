import { GcodeAnalysisError } from './analysis-error.js';

/**
 * Receives each line as a byte range (terminator excluded) with its 1-based
 * number; `buf` is only valid during the call. `buf[end]` always exists (a
 * terminator byte), so a parser may peek one byte past the line without an
 * out-of-bounds read, which V8 handles slowly. An object rather than a
 * closure: V8 never inlines a closure created afresh per analysis into the
 * split loop, while a method of one class is a candidate.
 */
export interface LineSink {
  line(buf: Buffer, start: number, end: number, lineNumber: number): void;
}

const LF = 10;
const CR = 13;

/**
 * Splits a byte stream into lines without copying, whatever the chunk
 * boundaries. The ending style is taken from the first terminator: LF (with an
 * optional CR before it, so CRLF files work) or bare CR (classic Mac files).
 * Only a line that spans chunks is copied, and it may not grow past the limit.
 */
export class LineSplitter {
  /** Lines completed so far (CRLF counts once). */
  lines = 0;
  private mode: 'unknown' | 'lf' | 'cr' = 'unknown';
  /** LF mode: a CR before the LF belongs to the terminator (read per line, so kept as a flag). */
  private dropCr = false;
  private carry: Buffer | null = null;

  constructor(
    private readonly sink: LineSink,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Uint8Array): void {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let pos = 0;
    if (this.carry && this.mode === 'unknown') {
      buf = Buffer.concat([this.carry, buf]);
      this.carry = null;
    }
    if (this.mode === 'unknown' && !this.detectMode(buf)) {
      this.keep(buf, 0);
      return;
    }
    const terminator = this.mode === 'cr' ? CR : LF;
    if (this.carry) {
      // Only the piece of a line that spans chunks is copied.
      const nl = buf.indexOf(terminator);
      // The terminator is copied too: line handlers may read the byte at `end` (never past it).
      const joined = Buffer.concat([this.carry, buf.subarray(0, nl === -1 ? buf.length : nl + 1)]);
      this.carry = null;
      if (nl === -1) {
        this.keep(joined, 0);
        return;
      }
      this.emit(joined, 0, joined.length - 1);
      pos = nl + 1;
    }
    pos = this.emitLines(buf, pos, terminator);
    if (pos < buf.length) this.keep(buf, pos);
  }

  /**
   * Emits every complete line from `pos`; returns where the unterminated rest starts.
   * A method of its own so V8 optimises this loop once: inside push() its optimised
   * code was thrown away at the end of every chunk (a deopt on the cold tail).
   */
  private emitLines(buf: Buffer, from: number, terminator: number): number {
    let pos = from;
    for (;;) {
      const nl = buf.indexOf(terminator, pos);
      if (nl === -1) return pos;
      this.emit(buf, pos, nl);
      pos = nl + 1;
    }
  }

  private emit(buf: Buffer, start: number, terminatorAt: number): void {
    let end = terminatorAt;
    if (this.dropCr && end > start && buf[end - 1] === CR) end--;
    if (end - start > this.maxLineBytes) this.tooLong();
    this.sink.line(buf, start, end, ++this.lines);
  }

  /** Emits the last line when the stream ended without a terminator; returns whether there was one. */
  finish(): boolean {
    const rest = this.carry;
    this.carry = null;
    if (!rest || rest.length === 0) return false;
    let end = rest.length;
    if (this.mode !== 'cr' && rest[end - 1] === CR) end--;
    this.sink.line(Buffer.concat([rest.subarray(0, end), Buffer.of(LF)]), 0, end, ++this.lines);
    return true;
  }

  private keep(buf: Buffer, from: number): void {
    if (buf.length - from > this.maxLineBytes + 1) this.tooLong();
    // Copy: the caller may reuse its chunk buffer after push() returns.
    this.carry = Buffer.from(buf.subarray(from));
  }

  /** Decides LF vs CR from the first terminator; false while the chunk cannot tell yet. */
  private detectMode(buf: Buffer): boolean {
    const lf = buf.indexOf(LF);
    const cr = buf.indexOf(CR);
    if (cr === -1 && lf === -1) return false;
    if (cr === -1 || (lf !== -1 && lf < cr)) this.mode = 'lf';
    else if (cr + 1 >= buf.length)
      return false; // a CR at the very end: the next byte decides
    else this.mode = buf[cr + 1] === LF ? 'lf' : 'cr';
    this.dropCr = this.mode === 'lf';
    return true;
  }

  private tooLong(): never {
    throw new GcodeAnalysisError(
      'line-too-long',
      `line ${this.lines + 1} is longer than ${this.maxLineBytes} bytes; this does not look like G-code`,
      this.lines + 1,
    );
  }
}
