import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The shared corpus of real slicer files (read in place, never copied). */
export const CORPUS_DIR = fileURLToPath(new URL('../../../../shared/gcode/', import.meta.url));

export interface CorpusFile {
  name: string;
  path: string;
  bytes: number;
}

export function corpusFiles(): CorpusFile[] {
  return readdirSync(CORPUS_DIR)
    .filter((name) => name.endsWith('.gcode') || name.endsWith('.bgcode'))
    .sort()
    .map((name) => ({ name, path: CORPUS_DIR + name, bytes: statSync(CORPUS_DIR + name).size }));
}
