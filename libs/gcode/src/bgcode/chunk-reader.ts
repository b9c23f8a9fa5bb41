import { BgcodeError } from './errors.js';

/**
 * Pulls exact-size pieces out of a stream of arbitrarily sized chunks, so
 * the block parser never cares where the network or disk split the bytes.
 * Holds at most one source chunk plus the piece being assembled.
 */
export class ChunkReader {
  private chunk: Uint8Array = new Uint8Array(0);
  private pos = 0;
  private done = false;
  /** Bytes handed out so far (the file offset of the next read). */
  offset = 0;
  private readonly iterator: AsyncIterator<Uint8Array> | Iterator<Uint8Array>;

  constructor(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>) {
    this.iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  /** True once every byte has been read. */
  async atEnd(): Promise<boolean> {
    return !(await this.ensure());
  }

  /** Exactly `size` bytes; a short stream is a truncated file. */
  async read(size: number, what: string): Promise<Uint8Array> {
    const start = this.offset;
    if (this.chunk.length - this.pos >= size) {
      const piece = this.chunk.subarray(this.pos, this.pos + size);
      this.pos += size;
      this.offset += size;
      return piece;
    }
    const out = new Uint8Array(size);
    let filled = 0;
    while (filled < size) {
      if (!(await this.ensure())) {
        throw new BgcodeError('bgcode.truncated', `file ends inside ${what} (${filled} of ${size} bytes)`, start);
      }
      const take = Math.min(size - filled, this.chunk.length - this.pos);
      out.set(this.chunk.subarray(this.pos, this.pos + take), filled);
      this.pos += take;
      filled += take;
    }
    this.offset += size;
    return out;
  }

  /** Makes sure unread bytes are buffered; false at end of stream. */
  private async ensure(): Promise<boolean> {
    while (this.pos >= this.chunk.length) {
      if (this.done) return false;
      const next = await this.iterator.next();
      if (next.done === true) {
        this.done = true;
        return false;
      }
      this.chunk = next.value;
      this.pos = 0;
    }
    return true;
  }
}
