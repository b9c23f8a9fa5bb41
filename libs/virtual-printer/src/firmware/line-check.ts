import { checksum } from '@farm/gcode';
import type { Flavor } from '../config/printer-config.js';

/**
 * What the firmware decides about a line it just read, before queueing it.
 * Marlin (and Prusa) check the sequence first, then the checksum:
 *
 *   Error:Line Number is not Last Line Number+1, Last Line: 5000
 *   Error:checksum mismatch, Last Line: 5000
 *   Error:No Checksum with line number, Last Line: 5000
 *   Error:No Line Number with checksum, Last Line: 5000   (Prusa only, `*` without `N`)
 *
 * RepRapFirmware records line numbers without checking the sequence and drops a
 * line with a bad checksum silently; Klipper ignores numbers and checksums.
 */
export type LineVerdict =
  | {
      kind: 'accept';
      command: string;
      lineNumber: number | undefined;
      /** What the firmware's "last line" becomes (for `N0 M110 N41` Marlin takes the 41 at read time). */
      lastLine: number | undefined;
    }
  | { kind: 'error'; message: LineErrorMessage }
  | { kind: 'discard' };

export type LineErrorMessage =
  | 'Line Number is not Last Line Number+1'
  | 'checksum mismatch'
  | 'No Checksum with line number'
  | 'No Line Number with checksum';

interface Framing {
  lineNumber: number | undefined;
  /** The text the checksum covers: everything before `*`. */
  body: string;
  /** Digits after `*`, or undefined when there is no `*`. */
  givenChecksum: string | undefined;
  command: string;
}

function readFraming(line: string, marlinNumbering = true): Framing {
  const text = line.trimStart();
  const star = text.indexOf('*');
  const body = star === -1 ? text : text.slice(0, star);
  const givenChecksum = star === -1 ? undefined : text.slice(star + 1);
  // Marlin treats any line starting with N as numbered; strtol reads 0 when no digits follow.
  // Klipper and RRF need digits (`NOZZLE_WIPE` is a macro, not a line number).
  const numbered = (marlinNumbering ? /^N\s*([+-]?\d*)\s*/ : /^N\s*([+-]?\d+)\s*/).exec(body);
  const lineNumber = numbered ? Number(numbered[1] === '' || numbered[1] === '-' || numbered[1] === '+' ? 0 : numbered[1]) : undefined;
  const command = (numbered ? body.slice(numbered[0].length) : body).trim();
  return { lineNumber, body, givenChecksum, command };
}

function checksumMatches(framing: Framing): boolean {
  // strtol semantics: leading digits only, anything else reads as 0.
  const given = Number(/^\s*[+-]?\d+/.exec(framing.givenChecksum ?? '')?.[0] ?? 0);
  return given === checksum(framing.body);
}

/** The line's N, or undefined; used to key faults before the line is checked. */
export function lineNumberOf(line: string): number | undefined {
  return readFraming(line, false).lineNumber;
}

export function checkLine(line: string, lastLineNumber: number, flavor: Flavor): LineVerdict {
  const framing = readFraming(line, flavor === 'marlin' || flavor === 'prusa');
  switch (flavor) {
    case 'klipper':
      return { kind: 'accept', command: framing.command, lineNumber: undefined, lastLine: undefined };
    case 'rrf':
      if (framing.givenChecksum !== undefined && !checksumMatches(framing)) return { kind: 'discard' };
      return { kind: 'accept', command: framing.command, lineNumber: framing.lineNumber, lastLine: framing.lineNumber };
    case 'marlin':
    case 'prusa':
      break;
  }
  if (framing.lineNumber === undefined) {
    if (flavor === 'prusa' && framing.givenChecksum !== undefined) {
      return { kind: 'error', message: 'No Line Number with checksum' };
    }
    return { kind: 'accept', command: framing.command, lineNumber: undefined, lastLine: undefined };
  }
  const isM110 = framing.body.includes('M110');
  if (!isM110 && framing.lineNumber !== lastLineNumber + 1) {
    return { kind: 'error', message: 'Line Number is not Last Line Number+1' };
  }
  if (framing.givenChecksum === undefined) return { kind: 'error', message: 'No Checksum with line number' };
  if (!checksumMatches(framing)) return { kind: 'error', message: 'checksum mismatch' };
  const m110 = isM110 ? /M110\s*N\s*([+-]?\d+)/.exec(framing.body) : null;
  const lastLine = m110 ? Number(m110[1]) : framing.lineNumber;
  return { kind: 'accept', command: framing.command, lineNumber: framing.lineNumber, lastLine };
}
