import { GcodeAnalysisError } from './analysis-error.js';

/** Bytes needed to recognise a file by its magic number. */
export const MAGIC_BYTES = 8;
/** How far into the file stray control bytes mean "binary, not text". */
export const TEXT_CHECK_BYTES = 64 * 1024;

export type SniffResult = 'text' | 'bgcode';

/** Recognises what the first bytes are: G-code text, binary G-code, or something to refuse. */
export function sniffStart(head: Uint8Array): SniffResult {
  const b = head;
  const is = (...bytes: number[]): boolean => bytes.every((v, k) => b[k] === v);
  if (is(0x47, 0x43, 0x44, 0x45)) return 'bgcode'; // "GCDE"
  if (is(0x89, 0x50, 0x4e, 0x47)) throw image('PNG');
  if (is(0xff, 0xd8, 0xff)) throw image('JPEG');
  if (is(0x71, 0x6f, 0x69, 0x66)) throw image('QOI');
  if (is(0x47, 0x49, 0x46, 0x38)) throw image('GIF');
  if (is(0x52, 0x49, 0x46, 0x46)) throw image('RIFF/WebP');
  if (is(0x42, 0x4d) && b.length >= 6 && b[5] === 0) throw image('BMP');
  if (is(0x50, 0x4b, 0x03, 0x04)) {
    throw new GcodeAnalysisError('archive', 'this is a ZIP archive (a .3mf project?), not G-code');
  }
  if (is(0x1f, 0x8b)) throw new GcodeAnalysisError('archive', 'this is a gzip-compressed file, not G-code');
  return 'text';
}

/**
 * Text G-code holds printable bytes, tabs and line breaks (UTF-8 in comments is
 * fine). Any other control byte in the first part of the file means binary data.
 */
export function checkTextBytes(buf: Uint8Array, from: number, to: number, offset: number): void {
  for (let k = from; k < to; k++) {
    const c = buf[k] as number;
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c && c !== 0x00) {
      throw new GcodeAnalysisError(
        'binary',
        `byte 0x${c.toString(16).padStart(2, '0')} at offset ${offset + k - from} is not text; this is a binary file, not G-code`,
      );
    }
  }
}

function image(kind: string): GcodeAnalysisError {
  return new GcodeAnalysisError('image', `this is a ${kind} image, not G-code`);
}
