// The file every printer streams: a long run of moves from the middle of a
// real sliced print (the corpus sphere: curved perimeters and supports),
// started where the print was at that point, with only motion kept (no
// heating waits, nothing printer-specific), so a print runs at the pace of
// its moves and lasts longer than the bench.
import { readFile, writeFile } from 'node:fs/promises';
import { cleanLine } from '@farm/gcode';

const MOTION = /^G[0-3](\s|$)/;

export async function writeBenchGcode(corpusFile: string, lines: number, out: string): Promise<number> {
  const text = await readFile(corpusFile, 'utf8');
  const motion = text.split('\n').map(cleanLine).filter((line) => MOTION.test(line));
  const start = Math.floor(motion.length / 3);
  const at: Record<string, string> = { X: '0', Y: '0', Z: '0' };
  for (const line of motion.slice(0, start)) {
    for (const match of line.matchAll(/([XYZ])(-?[\d.]+)/g)) at[match[1]!] = match[2]!;
  }
  const body = motion.slice(start, start + lines);
  // The corpus file extrudes relatively (M83); G92 puts the head where the print was.
  await writeFile(out, ['G90', 'M83', `G92 X${at.X} Y${at.Y} Z${at.Z} E0`, ...body, ''].join('\n'));
  return body.length;
}
