import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cleanLine } from './clean-line.js';
import { LineSplitter } from './line-splitter.js';
import { readGcodeLines } from './read-lines.js';
import type { GcodeLine } from './read-lines.js';

const encoder = new TextEncoder();

async function* chunksOf(bytes: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.slice(at, cut);
    at = cut;
  }
}

async function collect(source: AsyncIterable<Uint8Array> | string): Promise<GcodeLine[]> {
  const lines: GcodeLine[] = [];
  for await (const line of readGcodeLines(source)) lines.push(line);
  return lines;
}

// Mixed endings, comment-only and empty lines, a UTF-8 text, no final newline.
const SAMPLE = 'G28 ; home\r\n; comment only\n\nG1 X1\rM117 Größe ✓\r\n  (paren)  \nG1 X2 (fast) Y3\r\nM104 S200';
const EXPECTED = [
  { command: 'G28', lineNumber: 1, start: 0, end: 12 },
  { command: 'G1 X1', lineNumber: 4, start: 28, end: 34 },
  { command: 'M117 Größe ✓', lineNumber: 5, start: 34, end: 52 },
  { command: 'G1 X2  Y3', lineNumber: 7, start: 64, end: 81 },
  { command: 'M104 S200', lineNumber: 8, start: 81, end: 90 },
];

describe('readGcodeLines', () => {
  const bytes = encoder.encode(SAMPLE);

  it('yields clean commands with file line numbers and byte offsets', async () => {
    expect(bytes.length).toBe(90);
    expect(await collect(chunksOf(bytes, []))).toEqual(EXPECTED);
  });

  it('gives the same lines whatever single split point the chunks have (mid-CRLF, mid-UTF-8)', async () => {
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await collect(chunksOf(bytes, [cut])), `cut at ${cut}`).toEqual(EXPECTED);
    }
  });

  it('gives the same lines when fed one byte at a time', async () => {
    const cuts = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
    expect(await collect(chunksOf(bytes, cuts))).toEqual(EXPECTED);
  });

  it('treats CR CR as two line ends and a final lone CR as a terminator', async () => {
    const lines = await collect(chunksOf(encoder.encode('G1 X1\r\rG1 X2\r'), [6]));
    expect(lines).toEqual([
      { command: 'G1 X1', lineNumber: 1, start: 0, end: 6 },
      { command: 'G1 X2', lineNumber: 3, start: 7, end: 13 },
    ]);
  });

  it('yields nothing for an empty or comment-only stream', async () => {
    expect(await collect(chunksOf(new Uint8Array(0), []))).toEqual([]);
    expect(await collect(chunksOf(encoder.encode(';a\n;b'), []))).toEqual([]);
  });
});

describe('LineSplitter', () => {
  it('keeps a partial line across chunks and reports its length', () => {
    const splitter = new LineSplitter();
    expect(splitter.push(encoder.encode('ok T:2'))).toEqual([]);
    expect(splitter.pendingLength).toBe(6);
    const [line] = splitter.push(encoder.encode('5\nok'));
    expect(new TextDecoder().decode(line?.bytes)).toBe('ok T:25');
    expect(splitter.end().map((l) => new TextDecoder().decode(l.bytes))).toEqual(['ok']);
  });
});

describe('readGcodeLines over a real sliced file', () => {
  const path = fileURLToPath(new URL('../../../../../shared/gcode/crealityprint_k1se_3dbenchy_crlf.gcode', import.meta.url));

  it('reads every command of a CRLF file with offsets that point at the raw line', async () => {
    const file = readFileSync(path);
    // The file has one stray lone CR (inside a comment); it ends a line too.
    const rawLines = file.toString('utf8').split(/\r\n|\r|\n/);
    const expected = rawLines.map((raw) => cleanLine(raw)).filter((command) => command !== '');

    const lines = await collect(path);
    expect(lines.map((l) => l.command)).toEqual(expected);
    expect(lines.at(-1)?.end).toBeLessThanOrEqual(file.length);
    for (const line of lines.filter((_, i) => i % 997 === 0)) {
      expect(cleanLine(file.subarray(line.start, line.end).toString('utf8'))).toBe(line.command);
      expect(rawLines[line.lineNumber - 1]?.trim().startsWith(line.command.slice(0, 2))).toBe(true);
    }
  });

  it('reads the same lines in small odd-sized chunks', async () => {
    const small: GcodeLine[] = [];
    for await (const line of readGcodeLines(path, { chunkSize: 1021 })) small.push(line);
    expect(small).toEqual(await collect(path));
  });
});
