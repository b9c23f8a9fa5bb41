/**
 * Splits a byte stream into raw lines, keeping each line's byte offsets.
 *
 * A line ends at LF, CR or CRLF; a CRLF split across two chunks still counts
 * as one terminator (the CR is held until the next byte decides). Bytes are
 * kept as bytes until a line is complete, so a UTF-8 character split between
 * chunks is decoded whole. Constant memory: only the current partial line is
 * buffered.
 */
export interface RawLine {
  /** The line's bytes without its terminator. */
  bytes: Uint8Array;
  /** 1-based line number in the stream (CRLF counts once). */
  lineNumber: number;
  /** Offset of the line's first byte. */
  start: number;
  /** Offset just past the line's terminator: where the next line starts. */
  end: number;
}

const LF = 10;
const CR = 13;
const EMPTY = new Uint8Array(0);

export class LineSplitter {
  private parts: Uint8Array[] = [];
  private partLength = 0;
  private lineStart = 0;
  private offset = 0;
  private lineNumber = 0;
  /** A CR ended the previous chunk: the line is done, its terminator may still grow by an LF. */
  private heldCr: { bytes: Uint8Array; start: number } | null = null;

  /** Feeds one chunk; returns the lines it completed. */
  push(chunk: Uint8Array): RawLine[] {
    const out: RawLine[] = [];
    let i = 0;
    if (this.heldCr && chunk.length > 0) {
      const held = this.heldCr;
      this.heldCr = null;
      const withLf = chunk[0] === LF;
      if (withLf) i = 1;
      this.offset += i;
      out.push({ bytes: held.bytes, lineNumber: ++this.lineNumber, start: held.start, end: this.offset });
      this.lineStart = this.offset;
    }
    while (i < chunk.length) {
      let j = i;
      while (j < chunk.length && chunk[j] !== LF && chunk[j] !== CR) j++;
      if (j === chunk.length) {
        this.keep(chunk.subarray(i));
        this.offset += chunk.length - i;
        break;
      }
      const bytes = this.take(chunk.subarray(i, j));
      this.offset += j - i + 1;
      if (chunk[j] === CR) {
        if (j + 1 === chunk.length) {
          this.heldCr = { bytes, start: this.lineStart };
          return out;
        }
        if (chunk[j + 1] === LF) {
          j++;
          this.offset++;
        }
      }
      out.push({ bytes, lineNumber: ++this.lineNumber, start: this.lineStart, end: this.offset });
      this.lineStart = this.offset;
      i = j + 1;
    }
    return out;
  }

  /** Ends the stream: returns the held line and a last line without terminator, if any. */
  end(): RawLine[] {
    const out: RawLine[] = [];
    if (this.heldCr) {
      out.push({ bytes: this.heldCr.bytes, lineNumber: ++this.lineNumber, start: this.heldCr.start, end: this.offset });
      this.heldCr = null;
      this.lineStart = this.offset;
    }
    if (this.partLength > 0) {
      const bytes = this.take(EMPTY);
      out.push({ bytes, lineNumber: ++this.lineNumber, start: this.lineStart, end: this.offset });
      this.lineStart = this.offset;
    }
    return out;
  }

  /** Bytes of the unfinished line (to cap garbage that never ends). */
  get pendingLength(): number {
    return this.partLength;
  }

  private keep(piece: Uint8Array): void {
    if (piece.length === 0) return;
    // Copy: the caller may reuse its chunk buffer.
    this.parts.push(piece.slice());
    this.partLength += piece.length;
  }

  private take(tail: Uint8Array): Uint8Array {
    if (this.parts.length === 0) return tail.slice();
    const bytes = new Uint8Array(this.partLength + tail.length);
    let at = 0;
    for (const part of this.parts) {
      bytes.set(part, at);
      at += part.length;
    }
    bytes.set(tail, at);
    this.parts = [];
    this.partLength = 0;
    return bytes;
  }
}
