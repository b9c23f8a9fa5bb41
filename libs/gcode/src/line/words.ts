/**
 * A command split into its words: `G1 X10 Y-2.5 E.4` → letter G, code "1",
 * params { X: 10, Y: -2.5, E: 0.4 }. Letters are upper-cased; numbers accept
 * every form firmware's strtod accepts (`+400`, `4e2`, `.5`, `5.`).
 *
 * Words may be packed without spaces (`G1X10Y20`), as some slicers and users
 * write them. A parameter given without a number (`G28 X`) maps to `true`.
 * Commands whose argument is free text (`M117 Hello`, `M118`, Klipper macros)
 * keep the remainder in `text`.
 */
export interface CommandWords {
  /** 'G', 'M', 'T', … or '' when the line does not start with a letter-number word. */
  letter: string;
  /** The command number as written after normalising (`G01` → "1", `M104.1` → "104.1"). */
  code: string;
  /** `G1`, `M104`, `T0`; for a bare word (Klipper macro) the upper-cased first token. */
  name: string;
  params: Record<string, number | true>;
  /** Everything after the command word, untouched (for free-text commands). */
  text: string;
}

const FREE_TEXT = new Set(['M117', 'M118', 'M23', 'M28', 'M30', 'M32', 'M33', 'M928', 'M16', 'M587', 'M588', 'M589']);

// Longest number prefix strtod would accept (sign, digits, fraction, exponent).
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

export function parseWords(command: string): CommandWords {
  const text = command.trim();
  const head = /^([A-Za-z])\s*([+-]?\d+(?:\.\d+)?)/.exec(text);
  if (!head) {
    const token = /^\S*/.exec(text)?.[0] ?? '';
    return { letter: '', code: '', name: token.toUpperCase(), params: {}, text: text.slice(token.length).trim() };
  }
  const letter = (head[1] ?? '').toUpperCase();
  const code = String(Number(head[2]));
  const name = `${letter}${code}`;
  const rest = text.slice(head[0].length);
  const params: Record<string, number | true> = {};
  if (!FREE_TEXT.has(name)) parseParams(rest, params);
  return { letter, code, name, params, text: rest.trim() };
}

function parseParams(rest: string, into: Record<string, number | true>): void {
  let i = 0;
  while (i < rest.length) {
    const ch = rest.charAt(i);
    if (ch === '"') {
      // Quoted strings (Prusa `M862.3 P "MK3S"`, RRF file names) are values, not words.
      const close = rest.indexOf('"', i + 1);
      i = close === -1 ? rest.length : close + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(ch)) {
      i++;
      continue;
    }
    const key = ch.toUpperCase();
    let j = i + 1;
    while (rest.charAt(j) === ' ' || rest.charAt(j) === '\t') j++;
    const match = NUMBER.exec(rest.slice(j));
    if (match) {
      into[key] = Number(match[0]);
      i = j + match[0].length;
    } else {
      into[key] = true;
      i++;
    }
  }
}
