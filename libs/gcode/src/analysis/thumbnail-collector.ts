import type { Thumbnail, ThumbnailFormat } from './analysis.types.js';

/** A thumbnail bigger than this (base64 text) is skipped rather than held in memory. */
const MAX_BASE64_CHARS = 8 * 1024 * 1024;

// `; thumbnail begin 16x16 808` (PrusaSlicer, Orca, Cura plugin), `; thumbnail_QOI begin …`,
// `; thumbnail_JPG begin …`, Creality's `; thumbnail begin 300 300 44376` and `; png begin 96*96 7757 0 95 192`.
const BEGIN = /^(?:thumbnail(?:_(?:PNG|JPG|QOI))? begin (\d+)[x ](\d+)|png begin (\d+)\*(\d+))\b/;
const END = /^(?:thumbnail(?:_(?:PNG|JPG|QOI))? end|png end)\b/;

/**
 * Collects base64 thumbnail blocks from comments and decodes them when the
 * block closes. The format is taken from the image's own magic bytes, not
 * from the header word, so a mislabelled block still comes out right.
 */
export class ThumbnailCollector {
  readonly thumbnails: Thumbnail[] = [];
  private open: { width: number; height: number; source: Thumbnail['source']; parts: string[]; chars: number } | null =
    null;

  get inBlock(): boolean {
    return this.open !== null;
  }

  /** Offers a comment (text after `;`, leading spaces removed); returns true when it belonged to a block. */
  comment(text: string): boolean {
    if (this.open) {
      if (END.test(text)) this.close();
      else this.append(text.trim());
      return true;
    }
    const m = BEGIN.exec(text);
    if (!m) return false;
    const creality = m[3] !== undefined;
    this.open = {
      width: Number(creality ? m[3] : m[1]),
      height: Number(creality ? m[4] : m[2]),
      source: creality ? 'creality-png' : 'thumbnail-block',
      parts: [],
      chars: 0,
    };
    return true;
  }

  /** A command inside a block means its end line is missing: drop it, so later comments are read normally. */
  abandon(): void {
    this.open = null;
  }

  add(thumbnail: Thumbnail): void {
    this.thumbnails.push(thumbnail);
  }

  private append(text: string): void {
    const open = this.open;
    if (!open || open.chars > MAX_BASE64_CHARS) return;
    open.parts.push(text);
    open.chars += text.length;
  }

  private close(): void {
    const open = this.open;
    this.open = null;
    if (!open || open.chars > MAX_BASE64_CHARS || open.chars === 0) return;
    const data = new Uint8Array(Buffer.from(open.parts.join(''), 'base64'));
    const format = imageFormat(data);
    if (format) this.thumbnails.push({ format, width: open.width, height: open.height, source: open.source, data });
  }
}

export function imageFormat(data: Uint8Array): ThumbnailFormat | null {
  if (data[0] === 0x89 && data[1] === 0x50 && data[2] === 0x4e && data[3] === 0x47) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  if (data[0] === 0x71 && data[1] === 0x6f && data[2] === 0x69 && data[3] === 0x66) return 'qoi';
  return null;
}
