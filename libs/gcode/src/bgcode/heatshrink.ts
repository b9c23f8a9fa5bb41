import { BgcodeError } from './errors.js';

/**
 * Decodes one heatshrink-compressed block (the LZSS variant used by
 * PrusaSlicer's binary G-code: window 2^11 or 2^12 bytes, lookahead 2^4).
 *
 * The bit stream is read most-significant bit first. Each item starts with a
 * tag bit: 1 = a literal byte follows (8 bits); 0 = a back-reference follows,
 * `windowBits` bits of (distance − 1) then `lookaheadBits` bits of
 * (length − 1). The reference decoder's window starts zero-filled, so a
 * distance reaching before the first output byte yields zeros. The encoder
 * pads the last byte with zero bits, which never form a whole item; the block
 * header's uncompressed size tells where the output ends.
 */
export function heatshrinkDecode(
  input: Uint8Array,
  windowBits: number,
  lookaheadBits: number,
  expectedSize: number,
  offset = 0,
): Uint8Array {
  const out = new Uint8Array(expectedSize);
  const bits = new BitReader(input);
  let pos = 0;
  const read = (count: number): number => bits.read(count);

  while (pos < expectedSize) {
    const tag = read(1);
    if (tag === -1) break;
    if (tag === 1) {
      const literal = read(8);
      if (literal === -1) break;
      out[pos++] = literal;
      continue;
    }
    const index = read(windowBits);
    const count = index === -1 ? -1 : read(lookaheadBits);
    if (count === -1) break;
    const distance = index + 1;
    const length = count + 1;
    if (pos + length > expectedSize) {
      throw new BgcodeError('bgcode.bad_compression', 'heatshrink data runs past the stated uncompressed size', offset);
    }
    for (let i = 0; i < length; i++, pos++) out[pos] = pos >= distance ? (out[pos - distance] ?? 0) : 0;
  }
  if (pos < expectedSize) {
    throw new BgcodeError(
      'bgcode.bad_compression',
      `heatshrink data ended after ${pos} of ${expectedSize} bytes`,
      offset,
    );
  }
  return out;
}

/**
 * Most-significant-bit-first reader over a small bit buffer (never more than
 * 22 bits held: reads are at most 15 bits). Fields rather than closure
 * variables keep it fast in V8.
 */
class BitReader {
  private byteIndex = 0;
  private buffer = 0;
  private held = 0;

  constructor(private readonly input: Uint8Array) {}

  /** `count` bits as a number, or -1 when the input runs out mid-value (the encoder's zero padding). */
  read(count: number): number {
    while (this.held < count) {
      if (this.byteIndex >= this.input.length) return -1;
      this.buffer = (this.buffer << 8) | (this.input[this.byteIndex++] ?? 0);
      this.held += 8;
    }
    this.held -= count;
    const value = this.buffer >>> this.held;
    this.buffer &= (1 << this.held) - 1;
    return value;
  }
}
