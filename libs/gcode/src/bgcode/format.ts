/**
 * Constants of PrusaSlicer's binary G-code, version 1 (Prusa libbgcode
 * "specifications.md"). All integers are little-endian.
 *
 * File header (10 bytes): magic "GCDE", u32 version, u16 checksum type
 * (0 none, 1 CRC32). Then blocks: u16 type, u16 compression, u32
 * uncompressed size, [u32 compressed size when compression ≠ 0], parameters
 * (6 bytes for thumbnails: u16 format, width, height; 2 bytes otherwise:
 * u16 encoding), data, [u32 CRC32 of header + parameters + data].
 */
export const MAGIC = [0x47, 0x43, 0x44, 0x45] as const; // "GCDE"
export const FILE_HEADER_SIZE = 10;
export const SUPPORTED_VERSION = 1;

export const CHECKSUM_NONE = 0;
export const CHECKSUM_CRC32 = 1;

export const BLOCK_TYPE = {
  fileMetadata: 0,
  gcode: 1,
  slicerMetadata: 2,
  printerMetadata: 3,
  printMetadata: 4,
  thumbnail: 5,
} as const;

export const COMPRESSION = { none: 0, deflate: 1, heatshrink11: 2, heatshrink12: 3 } as const;

export const GCODE_ENCODING = { none: 0, meatpack: 1, meatpackComments: 2 } as const;
export const METADATA_ENCODING_INI = 0;

export const THUMBNAIL_FORMATS = ['png', 'jpg', 'qoi'] as const;
export type ThumbnailFormat = (typeof THUMBNAIL_FORMATS)[number];

/**
 * Refuse blocks claiming more than this: PrusaSlicer writes G-code blocks of
 * 64 KiB and thumbnails far smaller, so a larger size means a corrupt or
 * hostile header, and honouring it would let one header allocate gigabytes.
 */
export const MAX_BLOCK_SIZE = 32 * 1024 * 1024;

export function u16(bytes: Uint8Array, at: number): number {
  return (bytes[at] ?? 0) | ((bytes[at + 1] ?? 0) << 8);
}

export function u32(bytes: Uint8Array, at: number): number {
  return (u16(bytes, at) + u16(bytes, at + 2) * 0x10000) >>> 0;
}
