import { cleanLine, stripFraming } from '../line/clean-line.js';
import { parseWords, type CommandWords } from '../line/words.js';
import { refuse, type Refusal } from './policy.types.js';

/** Longest single line we pass (Klipper `EXCLUDE_OBJECT_DEFINE … POLYGON=[…]` lines run to several KB). */
export const MAX_LINE_CHARS = 8192;
/** Terminal submissions: total size and number of lines. */
export const MAX_TERMINAL_CHARS = 4096;
export const MAX_TERMINAL_COMMANDS = 32;

/** One command as a firmware would execute it: its words and the raw text after the command word. */
export interface CommandSegment {
  words: CommandWords;
  params: string;
}

// Messages and names that only ever reach a display or a comparison: never split inside them.
// (File-name commands such as M23/M28/M32 are split: a firmware reading `M23 a.gco M24` as two commands would start an SD print.)
const TEXT_ARGUMENT = new Set(['M117', 'M118', 'M16', 'M486', 'M862', 'M587', 'M588', 'M589']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Printable ASCII, tab, and non-ASCII text (UTF-8 messages) pass; other control characters (NUL, Ctrl-X, DEL) do not. */
export function hasControlCharacters(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return true;
  }
  return false;
}

/**
 * Splits terminal input into lines (`\n`, `\r`, `\r\n`), dropping empty and
 * comment-only lines, with the terminal's size limits.
 */
export function splitTerminalInput(input: string): { ok: true; lines: string[] } | Refusal {
  if (input.length > MAX_TERMINAL_CHARS) {
    return refuse('line-too-long', `terminal input is limited to ${MAX_TERMINAL_CHARS} characters`);
  }
  const lines = input.split(/\r\n|\r|\n/).filter((l) => cleanLine(l) !== '');
  if (lines.length === 0) return refuse('empty-input', 'the input holds no command');
  if (lines.length > MAX_TERMINAL_COMMANDS) {
    return refuse('too-many-commands', `send at most ${MAX_TERMINAL_COMMANDS} lines at once`);
  }
  return { ok: true, lines };
}

/**
 * The commands one line could run, seen the ways different firmwares read
 * it. `;` comments are honoured by all of them. `( … )` comments only by some
 * (Marlin needs PAREN_COMMENTS; Prusa-Firmware finds parameters anywhere),
 * so a line with parentheses is checked both with and without their content.
 * A G or M word after the first command starts another command (RRF and
 * Smoothieware run several per line; Marlin ignores them): each is checked.
 */
export function commandSegments(line: string): CommandSegment[] {
  const views = [stripFraming(cleanLine(line))];
  if (line.includes('(')) {
    const semicolon = line.indexOf(';');
    const body = semicolon === -1 ? line : line.slice(0, semicolon);
    views.push(stripFraming(body.replace(/[()]/g, ' ')));
  }
  const segments: CommandSegment[] = [];
  for (const view of views) {
    for (const part of splitEmbedded(view)) {
      const words = parseWords(part);
      if (words.name === '' && words.letter === '') continue;
      segments.push({ words, params: words.text });
    }
  }
  return segments;
}

function splitEmbedded(text: string): string[] {
  if (text === '') return [];
  const head = parseWords(text);
  const baseName = head.code.includes('.') ? `${head.letter}${head.code.slice(0, head.code.indexOf('.'))}` : head.name;
  if (TEXT_ARGUMENT.has(baseName)) return [text];
  if (head.letter === '' && IDENTIFIER.test(/^\S*/.exec(text)?.[0] ?? '')) return [text];
  const parts: string[] = [];
  let start = 0;
  // Quotes are not honoured: Smoothieware-style splitting does not know them either.
  for (let i = 1; i < text.length; i++) {
    const ch = text.charAt(i);
    if (ch !== 'G' && ch !== 'g' && ch !== 'M' && ch !== 'm') continue;
    let j = i + 1;
    while (text.charAt(j) === ' ' || text.charAt(j) === '\t') j++;
    const next = text.charAt(j);
    if (next >= '0' && next <= '9') {
      parts.push(text.slice(start, i).trim());
      start = i;
    }
  }
  parts.push(text.slice(start).trim());
  return parts.filter((p) => p !== '');
}
