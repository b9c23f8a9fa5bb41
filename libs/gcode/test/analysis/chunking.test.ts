import { describe, expect, it } from 'vitest';
import { createAnalyzer } from '../../src/analysis/index.js';
import type { AnalyzerOptions } from '../../src/analysis/index.js';
import { analyzeInChunks, corpusBytes, seededRandom } from './corpus-files.js';

const whole = (bytes: Uint8Array, options?: AnalyzerOptions) => analyzeInChunks(bytes, () => bytes.length, options);
// The estimate is compared on the small file only: it depends on the commands alone, and the others stay fast.
const FAST: AnalyzerOptions = { estimator: null };

describe('results do not depend on how the bytes arrive', () => {
  it('gives the same analysis in 7-byte chunks and random chunks (small Prusa file, QOI thumbnails)', async () => {
    const bytes = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.gcode');
    const reference = await whole(bytes);
    expect(await analyzeInChunks(bytes, () => 7)).toEqual(reference);
    const random = seededRandom(42);
    expect(await analyzeInChunks(bytes, () => 1 + Math.floor(random() * 4096))).toEqual(reference);
  });

  it('gives the same analysis one byte at a time (a prefix of the file, cut at a line end)', async () => {
    const bytes = corpusBytes('prusaslicer-2.5.0_mk3s-mmu2s_full-m73-layers.gcode');
    const prefix = bytes.subarray(0, bytes.lastIndexOf(10, 40_000) + 1);
    expect(await analyzeInChunks(prefix, () => 1, FAST)).toEqual(await whole(prefix, FAST));
  });

  it('keeps CRLF pairs together when a chunk ends between CR and LF', async () => {
    const bytes = corpusBytes('crealityprint_k1se_3dbenchy_crlf.gcode');
    const reference = await whole(bytes, FAST);
    const random = seededRandom(7);
    expect(await analyzeInChunks(bytes, () => 1 + Math.floor(random() * 65_536), FAST)).toEqual(reference);
    const prefix = bytes.subarray(0, bytes.lastIndexOf(10, 150_000) + 1);
    expect(await analyzeInChunks(prefix, () => 1, FAST)).toEqual(await whole(prefix, FAST));
  });

  it('decodes a .bgcode arriving in 7-byte and 1-byte chunks', async () => {
    const bytes = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.bgcode');
    const reference = await whole(bytes, FAST);
    expect(await analyzeInChunks(bytes, () => 7, FAST)).toEqual(reference);
    expect(await analyzeInChunks(bytes, () => 1, FAST)).toEqual(reference);
  });

  it('keeps its own copy of .bgcode bytes, so the caller may refill one buffer for every read', async () => {
    const bytes = corpusBytes('prusaslicer-2.8.1_mk4s_mini-cube.bgcode');
    const reference = await whole(bytes, FAST);
    const analyzer = createAnalyzer(FAST);
    const buffer = Buffer.alloc(4096);
    for (let at = 0; at < bytes.length; at += buffer.length) {
      const n = bytes.copy(buffer, 0, at, at + buffer.length);
      analyzer.push(buffer.subarray(0, n));
      await analyzer.drained();
    }
    buffer.fill(0x20);
    expect(await analyzer.finish()).toEqual(reference);
  });
});
