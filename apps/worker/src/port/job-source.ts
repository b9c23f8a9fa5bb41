import { open, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { decodeBgcode, isBgcode, readGcodeLines, type GcodeLine } from '@farm/gcode';

export interface JobSource {
  format: 'gcode' | 'bgcode';
  /** Clean lines, read on demand in constant memory. */
  lines: AsyncIterable<GcodeLine>;
  /**
   * Size of the text the byte offsets refer to: the file itself for plain
   * G-code; unknown for binary G-code, whose offsets count the decoded text.
   */
  totalBytes: number | undefined;
}

/** Opens a plain or binary (`.bgcode`) G-code file as a stream of clean lines. */
export async function openJobSource(path: string): Promise<JobSource> {
  const size = (await stat(path)).size;
  const head = new Uint8Array(16);
  const handle = await open(path, 'r');
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  if (isBgcode(head)) return { format: 'bgcode', lines: readGcodeLines(bgcodeText(path)), totalBytes: undefined };
  return { format: 'gcode', lines: readGcodeLines(path), totalBytes: size };
}

async function* bgcodeText(path: string): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const item of decodeBgcode(createReadStream(path))) {
    if (item.kind === 'gcode') yield encoder.encode(item.text);
  }
}
