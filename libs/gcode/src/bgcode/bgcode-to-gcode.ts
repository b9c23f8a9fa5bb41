import { createReadStream } from 'node:fs';
import { decodeBgcode } from './decode-bgcode.js';

/**
 * Convenience for tools and tests: the plain G-code text of a `.bgcode`
 * file (metadata and thumbnails skipped). Holds the whole text in memory,
 * so stream {@link decodeBgcode} instead for uploads.
 */
export async function bgcodeToGcode(path: string): Promise<string> {
  const parts: string[] = [];
  for await (const item of decodeBgcode(createReadStream(path))) {
    if (item.kind === 'gcode') parts.push(item.text);
  }
  return parts.join('');
}
