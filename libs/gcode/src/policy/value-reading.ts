/**
 * Reads parameter values the way the most permissive firmware would, so a
 * check never sees a smaller number than the printer does.
 *
 * Firmwares disagree: strtod-based parsers read `4e2` as 400 and `0x190` as
 * 400, a parser that stops at `e` reads `4e2` as 4, Python's `float()`
 * (Klipper) also takes `inf`, `nan` and `3_00`, RepRapFirmware takes colon
 * lists (`S200:300`) and `{expressions}`. We return every reading a parser
 * could make; forms we cannot evaluate safely are "unverifiable".
 */
export type ValueReading =
  | { kind: 'none' } // letter present without a value (`G28 X`)
  | { kind: 'numbers'; values: number[] }
  | { kind: 'unverifiable'; text: string };

const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F]+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/y;
const NON_NUMERIC = /[+-]?(?:inf|nan)/iy;
const NONE: ValueReading = { kind: 'none' };

function isSpace(ch: string): boolean {
  return ch === ' ' || ch === '\t';
}

/** The value(s) written right after position `start` (just past the parameter letter). */
export function readValueAt(text: string, start: number): ValueReading {
  let i = start;
  while (i < text.length && isSpace(text.charAt(i))) i++;
  const values: number[] = [];
  for (;;) {
    NUMBER.lastIndex = i;
    const match = NUMBER.exec(text);
    if (!match) {
      NON_NUMERIC.lastIndex = i;
      const ch = text.charAt(i);
      // Non-ASCII: Python's float() reads full-width digits and skips Unicode spaces (`S\u00a0300`).
      if (NON_NUMERIC.test(text) || ch === '{' || ch === '"' || ch === "'" || ch === '[' || ch.charCodeAt(0) > 0x7f) {
        return { kind: 'unverifiable', text: text.slice(start, i + 8).trim() };
      }
      return values.length > 0 ? { kind: 'unverifiable', text: text.slice(start, i + 1).trim() } : NONE;
    }
    const token = match[0];
    i += token.length;
    const next = text.charAt(i);
    // Python accepts `3_00` as 300; RRF would evaluate `300{…}` oddly: refuse rather than guess.
    if (next === '_' || next === '{') return { kind: 'unverifiable', text: text.slice(start, i + 4).trim() };
    if (/0[xX]/.test(token)) {
      const negative = token.startsWith('-');
      const magnitude = Number.parseInt(token.replace(/^[+-]?0[xX]/, ''), 16);
      values.push(negative ? -magnitude : magnitude);
      values.push(0); // a parser that stops at the `x` reads 0
    } else {
      values.push(Number(token));
      const exponent = token.search(/[eE]/);
      if (exponent !== -1) values.push(Number(token.slice(0, exponent)));
    }
    if (next !== ':') break;
    i++;
  }
  if (values.some((v) => !Number.isFinite(v))) return { kind: 'unverifiable', text: text.slice(start, i).trim() };
  return { kind: 'numbers', values };
}

/**
 * Every reading of parameter `letter` anywhere in `params` (case-insensitive).
 * Deliberately not limited to word starts: Prusa-Firmware finds a parameter
 * with `strchr`, so `M104 (S300) S200` sets 300 there.
 */
export function readAllValues(params: string, letter: string): ValueReading[] {
  const lower = letter.toLowerCase();
  const out: ValueReading[] = [];
  for (let i = 0; i < params.length; i++) {
    const ch = params.charAt(i);
    // Klipper upper-cases the line with Python rules: `ſ` (long s) becomes `S`, dotless `ı` becomes `I`.
    if (ch === letter || ch === lower || (ch.charCodeAt(0) > 0x7f && ch.toUpperCase() === letter)) {
      out.push(readValueAt(params, i + 1));
    }
  }
  return out;
}
