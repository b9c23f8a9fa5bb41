import { TextDecoder } from 'node:util';
import { crc32, inflateSync } from 'node:zlib';
import { ChunkReader } from './chunk-reader.js';
import { BgcodeError } from './errors.js';
import {
  BLOCK_TYPE,
  CHECKSUM_CRC32,
  CHECKSUM_NONE,
  COMPRESSION,
  FILE_HEADER_SIZE,
  GCODE_ENCODING,
  MAGIC,
  MAX_BLOCK_SIZE,
  METADATA_ENCODING_INI,
  SUPPORTED_VERSION,
  THUMBNAIL_FORMATS,
  type ThumbnailFormat,
  u16,
  u32,
} from './format.js';
import { heatshrinkDecode } from './heatshrink.js';
import { meatpackDecode } from './meatpack.js';

export type MetadataSection = 'file' | 'printer' | 'print' | 'slicer';

export type BgcodeItem =
  | { kind: 'metadata'; section: MetadataSection; entries: Record<string, string> }
  | { kind: 'thumbnail'; format: ThumbnailFormat; width: number; height: number; data: Uint8Array }
  | { kind: 'gcode'; text: string };

/** True when the bytes start with the binary G-code magic "GCDE". */
export function isBgcode(firstBytes: Uint8Array): boolean {
  return firstBytes.length >= MAGIC.length && MAGIC.every((byte, i) => firstBytes[i] === byte);
}

/**
 * Reads a `.bgcode` stream block by block: metadata tables, thumbnails and
 * the G-code as plain text chunks in file order. Memory holds one block at a
 * time (a plain array of chunks works too). Every block's CRC32 is checked before its content is used; any
 * defect ends the iteration with a {@link BgcodeError}.
 */
export async function* decodeBgcode(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncIterable<BgcodeItem> {
  const reader = new ChunkReader(source);
  if (await reader.atEnd()) throw new BgcodeError('bgcode.truncated', 'file is empty', 0);
  // Magic first, so a short text file is "not bgcode" rather than "truncated".
  const magic = await reader.read(MAGIC.length, 'the file header').catch(() => null);
  if (!magic || !isBgcode(magic)) {
    throw new BgcodeError('bgcode.bad_magic', 'not a binary G-code file (no GCDE magic)', 0);
  }
  const header = await reader.read(FILE_HEADER_SIZE - MAGIC.length, 'the file header');
  const version = u32(header, 0);
  if (version !== SUPPORTED_VERSION) {
    throw new BgcodeError('bgcode.unsupported_version', `binary G-code version ${version} is not supported`, 4);
  }
  const checksumType = u16(header, 4);
  if (checksumType !== CHECKSUM_NONE && checksumType !== CHECKSUM_CRC32) {
    throw new BgcodeError('bgcode.unsupported_checksum', `unknown checksum type ${checksumType}`, 8);
  }
  const text = new TextDecoder('utf-8');

  while (!(await reader.atEnd())) {
    const block = await readBlock(reader, checksumType === CHECKSUM_CRC32);
    const item = interpret(block, text);
    if (item) yield item;
  }
  const tail = text.decode();
  if (tail) yield { kind: 'gcode', text: tail };
}

interface RawBlock {
  offset: number;
  type: number;
  encodingOrFormat: number;
  width: number;
  height: number;
  data: Uint8Array;
}

async function readBlock(reader: ChunkReader, checked: boolean): Promise<RawBlock> {
  const offset = reader.offset;
  const head = await reader.read(8, 'a block header');
  const type = u16(head, 0);
  const compression = u16(head, 2);
  const uncompressedSize = u32(head, 4);
  if (type > BLOCK_TYPE.thumbnail) throw new BgcodeError('bgcode.bad_block', `unknown block type ${type}`, offset);
  if (compression > COMPRESSION.heatshrink12) {
    throw new BgcodeError('bgcode.bad_compression', `unknown compression ${compression}`, offset);
  }
  const sizeField = compression === COMPRESSION.none ? null : await reader.read(4, 'a block header');
  const storedSize = sizeField ? u32(sizeField, 0) : uncompressedSize;
  if (uncompressedSize > MAX_BLOCK_SIZE || storedSize > MAX_BLOCK_SIZE) {
    throw new BgcodeError('bgcode.bad_block', `block claims ${Math.max(uncompressedSize, storedSize)} bytes`, offset);
  }
  const params = await reader.read(type === BLOCK_TYPE.thumbnail ? 6 : 2, 'block parameters');
  const stored = await reader.read(storedSize, 'block data');
  if (checked) {
    // Checked before decompressing so corrupt input never reaches the decoders.
    let crc = crc32(head);
    if (sizeField) crc = crc32(sizeField, crc);
    crc = crc32(stored, crc32(params, crc));
    const expected = u32(await reader.read(4, 'a block checksum'), 0);
    if (crc !== expected) {
      throw new BgcodeError('bgcode.crc_mismatch', `block CRC32 is ${hex(crc)}, file says ${hex(expected)}`, offset);
    }
  }
  return {
    offset,
    type,
    encodingOrFormat: u16(params, 0),
    width: u16(params, 2),
    height: u16(params, 4),
    data: decompress(compression, stored, uncompressedSize, offset),
  };
}

function decompress(compression: number, stored: Uint8Array, size: number, offset: number): Uint8Array {
  let out: Uint8Array;
  switch (compression) {
    case COMPRESSION.none:
      return stored;
    case COMPRESSION.deflate:
      try {
        out = inflateSync(stored, { maxOutputLength: Math.max(size, 1) });
      } catch (error) {
        throw new BgcodeError('bgcode.bad_compression', `deflate data is corrupt: ${(error as Error).message}`, offset);
      }
      break;
    case COMPRESSION.heatshrink11:
      out = heatshrinkDecode(stored, 11, 4, size, offset);
      break;
    case COMPRESSION.heatshrink12:
      out = heatshrinkDecode(stored, 12, 4, size, offset);
      break;
    default:
      throw new BgcodeError('bgcode.bad_compression', `unknown compression ${compression}`, offset);
  }
  if (out.length !== size) {
    throw new BgcodeError(
      'bgcode.bad_compression',
      `block inflates to ${out.length} bytes, header says ${size}`,
      offset,
    );
  }
  return out;
}

function interpret(block: RawBlock, text: TextDecoder): BgcodeItem | null {
  switch (block.type) {
    case BLOCK_TYPE.fileMetadata:
      return metadata('file', block);
    case BLOCK_TYPE.printerMetadata:
      return metadata('printer', block);
    case BLOCK_TYPE.printMetadata:
      return metadata('print', block);
    case BLOCK_TYPE.slicerMetadata:
      return metadata('slicer', block);
    case BLOCK_TYPE.thumbnail: {
      const format = THUMBNAIL_FORMATS[block.encodingOrFormat];
      if (!format) {
        throw new BgcodeError('bgcode.bad_block', `unknown thumbnail format ${block.encodingOrFormat}`, block.offset);
      }
      // Copy: the block may be a view into a larger source chunk.
      return { kind: 'thumbnail', format, width: block.width, height: block.height, data: block.data.slice() };
    }
    case BLOCK_TYPE.gcode:
      return { kind: 'gcode', text: text.decode(gcodeBytes(block), { stream: true }) };
    default:
      throw new BgcodeError('bgcode.bad_block', `unknown block type ${block.type}`, block.offset);
  }
}

function gcodeBytes(block: RawBlock): Uint8Array {
  switch (block.encodingOrFormat) {
    case GCODE_ENCODING.none:
      return block.data;
    case GCODE_ENCODING.meatpack:
    case GCODE_ENCODING.meatpackComments:
      return meatpackDecode(block.data);
    default:
      throw new BgcodeError(
        'bgcode.unsupported_encoding',
        `unknown G-code encoding ${block.encodingOrFormat}`,
        block.offset,
      );
  }
}

function metadata(section: 'file' | 'printer' | 'print' | 'slicer', block: RawBlock): BgcodeItem {
  if (block.encodingOrFormat !== METADATA_ENCODING_INI) {
    throw new BgcodeError(
      'bgcode.unsupported_encoding',
      `unknown ${section} metadata encoding ${block.encodingOrFormat}`,
      block.offset,
    );
  }
  const entries: Record<string, string> = {};
  for (const line of new TextDecoder('utf-8').decode(block.data).split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) entries[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { kind: 'metadata', section, entries };
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
