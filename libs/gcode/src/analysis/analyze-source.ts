import { open } from 'node:fs/promises';
import type { GcodeAnalysis } from './analysis.types.js';
import { createAnalyzer } from './analyzer.js';
import type { AnalyzerOptions } from './analyzer.js';

export interface SourceOptions extends AnalyzerOptions {
  /** Stops reading between chunks (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** Analyses any async source of byte chunks (an upload stream, a decoder's output…). */
export async function analyzeStream(
  source: AsyncIterable<Uint8Array>,
  options: SourceOptions = {},
): Promise<GcodeAnalysis> {
  const analyzer = createAnalyzer(options);
  for await (const chunk of source) {
    options.signal?.throwIfAborted();
    analyzer.push(chunk);
    await analyzer.drained();
  }
  return analyzer.finish();
}

const READ_SIZE = 1024 * 1024;

/**
 * Analyses a file on disk. One 1 MiB buffer is reused for every read (the
 * analyser copies only a line that spans reads), so nothing grows with the file.
 */
export async function analyzeFile(path: string, options: SourceOptions = {}): Promise<GcodeAnalysis> {
  const analyzer = createAnalyzer(options);
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(READ_SIZE);
    for (;;) {
      options.signal?.throwIfAborted();
      const { bytesRead } = await file.read(buffer, 0, READ_SIZE, null);
      if (bytesRead === 0) break;
      analyzer.push(buffer.subarray(0, bytesRead));
      await analyzer.drained();
    }
  } finally {
    await file.close();
  }
  return analyzer.finish();
}
