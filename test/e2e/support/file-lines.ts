import { readFileSync } from 'node:fs';
import { cleanLine } from '@farm/gcode';

/**
 * The commands of a file with the 1-based line number and the byte offset
 * just past each line, computed from the raw bytes here (not with the
 * worker's reader), to check the position an interrupted job reports.
 */
export interface FileCommand {
  command: string;
  lineNumber: number;
  end: number;
}

export function fileCommands(path: string): FileCommand[] {
  const bytes = readFileSync(path);
  const out: FileCommand[] = [];
  let start = 0;
  let lineNumber = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 0x0a) continue;
    lineNumber++;
    const end = i < bytes.length ? i + 1 : i;
    const command = cleanLine(bytes.subarray(start, i).toString('utf8'));
    if (command !== '') out.push({ command, lineNumber, end });
    start = end;
    if (i === bytes.length) break;
  }
  return out;
}
