// Decides from the first bytes whether a body is an image we accept. The
// Content-Type header is the sender's claim; the magic bytes are the fact.

export type ImageKind = 'jpeg' | 'png' | 'webp';

export const IMAGE_MIME: Readonly<Record<ImageKind, string>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' };

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export function sniffImage(bytes: Uint8Array): ImageKind | undefined {
  const starts = (sig: readonly number[], at = 0): boolean => sig.every((b, i) => bytes[at + i] === b);
  // JPEG: SOI marker followed by the start of another marker.
  if (bytes.length >= 4 && starts([0xff, 0xd8, 0xff])) return 'jpeg';
  if (bytes.length >= 8 && starts(PNG)) return 'png';
  // WebP: a RIFF container whose form type is "WEBP".
  if (bytes.length >= 12 && starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'webp';
  return undefined;
}
