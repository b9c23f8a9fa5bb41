import { describe, expect, it } from 'vitest';
import { createAnalyzer, GcodeAnalysisError } from '../../src/analysis/index.js';
import type { GcodeAnalysis } from '../../src/analysis/index.js';
import { analyzeInChunks, corpusBytes, seededRandom, text } from './corpus-files.js';

async function refusal(bytes: Uint8Array, chunk = bytes.length): Promise<GcodeAnalysisError> {
  try {
    await analyzeInChunks(bytes, () => chunk);
  } catch (err) {
    if (err instanceof GcodeAnalysisError) return err;
    throw err;
  }
  throw new Error('the input was accepted');
}

const concat = (...parts: Uint8Array[]): Uint8Array => Buffer.concat(parts);
const sameExceptSize = (a: GcodeAnalysis, b: GcodeAnalysis): void =>
  expect({ ...a, sizeBytes: 0 }).toEqual({ ...b, sizeBytes: 0 });

describe('refusing what is not G-code', () => {
  it('refuses binary garbage as binary, whatever the chunking', async () => {
    const random = seededRandom(1);
    const garbage = Uint8Array.from({ length: 10_000 }, () => Math.floor(random() * 256));
    expect((await refusal(garbage)).code).toBe('binary');
    expect((await refusal(garbage, 1)).code).toBe('binary');
  });

  it('refuses NUL bytes near the start and deep in the file', async () => {
    expect((await refusal(text('G28\nG1 X1\0 Y2\nG1 X3\n'))).code).toBe('nul-byte');
    const deep = concat(corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.gcode'), text('G1 X1\0\n'));
    const err = await refusal(deep, 4096);
    expect(err.code).toBe('nul-byte');
    expect(err.message).toContain(`offset ${deep.length - 2}`);
  });

  it('refuses a line longer than the limit, terminated or not', async () => {
    const long = 'G1 X1 ;' + 'x'.repeat(300_000);
    const err = await refusal(text(`G28\n${long}\nG1 X2\n`), 65_536);
    expect(err.code).toBe('line-too-long');
    expect(err.line).toBe(2);
    expect((await refusal(text(`G28\n${long}`), 1000)).code).toBe('line-too-long');
  });

  it('refuses a PNG renamed .gcode, and other images and archives', async () => {
    const benchy = await analyzeInChunks(corpusBytes('prusaslicer-2.6.1_mini_3dbenchy.gcode'), () => 1 << 20);
    const png = benchy.thumbnails[1]?.data ?? new Uint8Array();
    const err = await refusal(png);
    expect(err.code).toBe('image');
    expect(err.message).toContain('PNG');
    expect((await refusal(png, 1)).code).toBe('image');
    expect((await refusal(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46))).code).toBe('image');
    expect((await refusal(concat(text('PK'), Uint8Array.of(3, 4), text('[Content_Types].xml')))).code).toBe('archive');
  });

  it('reports a file cut off in the middle of a line as truncated, at that line', async () => {
    const bytes = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.gcode');
    const cut = bytes.subarray(0, bytes.lastIndexOf(10, 50_000) + 6);
    const err = await refusal(cut, 999);
    expect(err.code).toBe('truncated');
    expect(err.line).toBe(cut.subarray(0, cut.length).filter((b) => b === 10).length + 1);
  });

  it('refuses empty input and text without a single command', async () => {
    expect((await refusal(new Uint8Array())).code).toBe('empty');
    expect((await refusal(text('; just a comment\n\n   \n; another\n'))).code).toBe('no-commands');
  });

  it('keeps refusing once a file has been refused', async () => {
    const analyzer = createAnalyzer();
    expect(() => analyzer.push(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10))).toThrow(GcodeAnalysisError);
    expect(() => analyzer.push(text('G28\n'))).toThrow(/PNG/);
    await expect(analyzer.finish()).rejects.toThrow(/PNG/);
  });

  it('refuses a corrupt or cut-off .bgcode with the decoder reason', async () => {
    const bytes = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.bgcode');
    const flipped = Uint8Array.from(bytes);
    flipped[2000] = (flipped[2000] ?? 0) ^ 0xff;
    expect((await refusal(flipped, 4096)).code).toBe('bgcode-corrupt');
    expect((await refusal(bytes.subarray(0, 20_000), 4096)).code).toBe('truncated');
  });
});

describe('line endings', () => {
  const lf = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.gcode');
  const crlf = text(lf.toString('latin1').replaceAll('\n', '\r\n'));
  const cr = text(lf.toString('latin1').replaceAll('\n', '\r'));

  it('reads CRLF and bare-CR files exactly like LF ones', async () => {
    const reference = await analyzeInChunks(lf, () => 1 << 20);
    sameExceptSize(await analyzeInChunks(crlf, () => 1 << 20), reference);
    sameExceptSize(await analyzeInChunks(cr, () => 1 << 20), reference);
    sameExceptSize(await analyzeInChunks(cr, () => 5), reference);
  });

  it('counts a last line without a terminator once', async () => {
    const a = await analyzeInChunks(text('G28\nG1 X1\n'), () => 3);
    expect(a.lineCount).toBe(2);
    expect(a.commandCount).toBe(2);
  });
});

describe('bounded memory on hostile input', () => {
  it('caps what a file could otherwise grow without limit (M73 points, labels, tools, layer Z values)', async () => {
    const lines = ['M83'];
    for (let k = 0; k < 3000; k++) lines.push(`M73 P${k} R1`, `M486 AObject${k}`, `T${k}`, `M104 T${k} S200`);
    const a = await analyzeInChunks(text(`${lines.join('\n')}\n`), () => 1 << 16, { estimator: null, classify: null });
    expect(a.time.m73.count).toBe(3000);
    expect(a.time.m73.normal).toHaveLength(1000);
    expect(a.objects.names).toHaveLength(1000);
    expect(a.tools.used).toHaveLength(256); // T0…T255; higher tool numbers are not real extruders
    expect(Object.keys(a.peakTemperatures.hotend)).toHaveLength(256);
  });
});
