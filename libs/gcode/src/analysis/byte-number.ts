/**
 * Reads a decimal number straight from bytes, so motion lines never become
 * strings. Up to 15 significant digits the value is mantissa / 10^k, which is
 * one correctly rounded IEEE division and therefore equal to `Number(text)`;
 * longer numbers and exponents fall back to `Number` on the slice.
 */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

export interface NumberCursor {
  /** NaN when no number starts at the position. */
  value: number;
  /** Index just past the number (or the start, when there was none). */
  end: number;
}

const enum Byte {
  Space = 32,
  Tab = 9,
  Plus = 43,
  Minus = 45,
  Dot = 46,
  Zero = 48,
  Nine = 57,
  LowerE = 101,
  UpperE = 69,
}

export function readNumber(buf: Uint8Array, pos: number, limit: number, out: NumberCursor): void {
  // Bytes at `limit` and beyond are a line terminator or past the buffer (undefined), never a digit,
  // so the digit loops need no bounds check.
  let i = pos;
  let c = buf[i] as number;
  while (c === Byte.Space || c === Byte.Tab) c = buf[++i] as number;
  if (i >= limit) return none(pos, out);
  const numberStart = i;
  let negative = false;
  if (c === Byte.Minus || c === Byte.Plus) {
    negative = c === Byte.Minus;
    c = buf[++i] as number;
  }
  let mantissa = 0;
  let digits = 0;
  while (c >= Byte.Zero && c <= Byte.Nine) {
    mantissa = mantissa * 10 + (c - Byte.Zero);
    digits++;
    c = buf[++i] as number;
  }
  let fraction = 0;
  if (c === Byte.Dot) {
    c = buf[++i] as number;
    while (c >= Byte.Zero && c <= Byte.Nine) {
      mantissa = mantissa * 10 + (c - Byte.Zero);
      fraction++;
      c = buf[++i] as number;
    }
    digits += fraction;
  }
  if (digits === 0 || i > limit) return none(pos, out);
  if (c === Byte.LowerE || c === Byte.UpperE) {
    let j = i + 1;
    if (buf[j] === Byte.Minus || buf[j] === Byte.Plus) j++;
    const expStart = j;
    while (j < limit && (buf[j] as number) >= Byte.Zero && (buf[j] as number) <= Byte.Nine) j++;
    if (j > expStart) return slow(buf, numberStart, j, out);
  }
  if (digits > 15) return slow(buf, numberStart, i, out);
  const magnitude = fraction === 0 ? mantissa : mantissa / (POW10[fraction] as number);
  out.value = negative ? -magnitude : magnitude;
  out.end = i;
}

function none(pos: number, out: NumberCursor): void {
  out.value = Number.NaN;
  out.end = pos;
}

function slow(buf: Uint8Array, start: number, end: number, out: NumberCursor): void {
  out.value = Number(String.fromCharCode(...buf.subarray(start, end)));
  out.end = end;
}
