import { createReadStream } from 'node:fs';
import { cleanLine } from './clean-line.js';
import { LineSplitter } from './line-splitter.js';
import type { RawLine } from './line-splitter.js';

/**
 * One command of a G-code file as the streamer needs it: the clean command
 * and where its raw line sits in the file (to record where an interrupted
 * print stopped and to resume from a byte offset).
 */
export interface GcodeLine {
  /** The command with comments and surrounding whitespace removed (never empty). */
  command: string;
  /** 1-based line number in the file (comment and empty lines are counted, not yielded). */
  lineNumber: number;
  /** Byte offset of the raw line's first byte. */
  start: number;
  /** Byte offset just past the raw line's terminator (= where the next line starts). */
  end: number;
}

export type GcodeSource = string | AsyncIterable<Uint8Array>;

export interface ReadLinesOptions {
  signal?: AbortSignal;
  /** Read chunk size when the source is a path (default 64 KiB). */
  chunkSize?: number;
}

const decoder = new TextDecoder('utf-8');
const SEMICOLON = 59;
const SPACE = 32;
const TAB = 9;

/**
 * Reads a file (a path or any byte stream) as clean commands, in constant
 * memory: comment-only and empty lines are skipped, CR, LF and CRLF endings
 * are accepted, a last line without newline is kept, and chunks may split
 * anywhere (mid-line, mid-CRLF, mid-UTF-8 character).
 */
export async function* readGcodeLines(source: GcodeSource, options: ReadLinesOptions = {}): AsyncGenerator<GcodeLine> {
  const stream =
    typeof source === 'string'
      ? createReadStream(source, { highWaterMark: options.chunkSize ?? 64 * 1024, signal: options.signal })
      : source;
  const splitter = new LineSplitter();
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    options.signal?.throwIfAborted();
    for (const raw of splitter.push(chunk)) {
      const line = toGcodeLine(raw);
      if (line) yield line;
    }
  }
  for (const raw of splitter.end()) {
    const line = toGcodeLine(raw);
    if (line) yield line;
  }
}

function toGcodeLine(raw: RawLine): GcodeLine | null {
  if (isCommentOrBlank(raw.bytes)) return null;
  const command = cleanLine(decoder.decode(raw.bytes));
  if (command === '') return null;
  return { command, lineNumber: raw.lineNumber, start: raw.start, end: raw.end };
}

// Most lines of a sliced file that hold no command are comments (thumbnails,
// settings): skip them without decoding.
function isCommentOrBlank(bytes: Uint8Array): boolean {
  for (const byte of bytes) {
    if (byte === SPACE || byte === TAB) continue;
    return byte === SEMICOLON;
  }
  return true;
}
