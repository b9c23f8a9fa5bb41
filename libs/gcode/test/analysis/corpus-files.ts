import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createAnalyzer } from '../../src/analysis/index.js';
import type { AnalyzerOptions, GcodeAnalysis } from '../../src/analysis/index.js';

/** The shared development corpus, read in place (see its MANIFEST.md). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../../shared/gcode/', import.meta.url));

export function corpusBytes(name: string): Buffer {
  return readFileSync(CORPUS_DIR + name);
}

/** Feeds `bytes` to a fresh analyser in chunks whose sizes `nextSize` picks. */
export async function analyzeInChunks(
  bytes: Uint8Array,
  nextSize: () => number,
  options?: AnalyzerOptions,
): Promise<GcodeAnalysis> {
  const analyzer = createAnalyzer(options);
  for (let at = 0; at < bytes.length;) {
    const size = Math.max(1, nextSize());
    analyzer.push(bytes.subarray(at, at + size));
    at += size;
  }
  return analyzer.finish();
}

/** A small deterministic PRNG so "random" chunk sizes repeat run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

export function text(gcode: string): Uint8Array {
  return new TextEncoder().encode(gcode);
}
