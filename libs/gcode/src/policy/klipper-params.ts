import type { ValueReading } from './value-reading.js';

/**
 * Klipper's extended commands (`SET_HEATER_TEMPERATURE HEATER=extruder TARGET=200`)
 * take `KEY=value` words split shell-style: quotes group and are removed,
 * backslash escapes, keys are case-insensitive. Klipper also treats `#` and
 * `;` as comments there; we do not, so text after `#` is still checked
 * (stricter, never laxer). Duplicate keys are all returned.
 */
export interface ExtendedParam {
  key: string;
  value: string;
}

export function parseExtendedParams(text: string): ExtendedParam[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text.charAt(i);
    if (quote !== '') {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"' && i + 1 < text.length) word += text.charAt(++i);
      else word += ch;
      continue;
    }
    if (ch === ' ' || ch === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < text.length) {
      word += text.charAt(++i);
      inWord = true;
    } else {
      word += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words.map((w) => {
    const eq = w.indexOf('=');
    return eq === -1 ? { key: w.toUpperCase(), value: '' } : { key: w.slice(0, eq).toUpperCase(), value: w.slice(eq + 1) };
  });
}

const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A Klipper value as Python's `float()` would read it; anything but a plain finite number is unverifiable. */
export function readExtendedNumber(value: string): ValueReading {
  const text = value.trim();
  if (text === '') return { kind: 'none' };
  if (!PLAIN_NUMBER.test(text)) return { kind: 'unverifiable', text };
  const n = Number(text);
  return Number.isFinite(n) ? { kind: 'numbers', values: [n] } : { kind: 'unverifiable', text };
}
