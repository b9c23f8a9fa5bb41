import { crc32, deflateSync } from 'node:zlib';

/**
 * Test-only writers: a greedy heatshrink encoder and a block builder, so the
 * decoders can be checked on inputs the corpus file does not contain
 * (window 11, no compression, deflate, corrupt data with a valid CRC).
 */
export function heatshrinkEncode(input: Uint8Array, windowBits: number, lookaheadBits: number): Uint8Array {
  const bits: number[] = [];
  const put = (value: number, count: number): void => {
    for (let i = count - 1; i >= 0; i--) bits.push((value >> i) & 1);
  };
  const window = 1 << windowBits;
  const maxLength = 1 << lookaheadBits;
  let pos = 0;
  while (pos < input.length) {
    let bestLength = 0;
    let bestDistance = 0;
    for (let distance = 1; distance <= Math.min(window, pos); distance++) {
      let length = 0;
      while (
        length < maxLength &&
        pos + length < input.length &&
        input[pos + length] === input[pos + length - distance]
      ) {
        length++;
      }
      if (length > bestLength) {
        bestLength = length;
        bestDistance = distance;
      }
    }
    if (bestLength >= 2) {
      put(0, 1);
      put(bestDistance - 1, windowBits);
      put(bestLength - 1, lookaheadBits);
      pos += bestLength;
    } else {
      put(1, 1);
      put(input[pos] ?? 0, 8);
      pos++;
    }
  }
  const out = new Uint8Array(Math.ceil(bits.length / 8));
  bits.forEach((bit, i) => {
    if (bit) out[i >> 3] = (out[i >> 3] ?? 0) | (0x80 >> (i & 7));
  });
  return out;
}

export interface TestBlock {
  type: number;
  compression: 0 | 1 | 2 | 3;
  params: number[];
  data: Uint8Array;
  /** Replace the compressed payload (to plant corrupt data under a valid CRC). */
  stored?: Uint8Array;
}

export function buildBgcode(blocks: TestBlock[], version = 1, checksumType = 1): Uint8Array {
  const parts: Uint8Array[] = [le([0x45444347, version], [4, 4]), le([checksumType], [2])];
  for (const block of blocks) {
    const stored = block.stored ?? compress(block);
    const head =
      block.compression === 0
        ? le([block.type, 0, block.data.length], [2, 2, 4])
        : le([block.type, block.compression, block.data.length, stored.length], [2, 2, 4, 4]);
    const params = le(
      block.params,
      block.params.map(() => 2),
    );
    const body = concat([head, params, stored]);
    parts.push(body);
    if (checksumType === 1) parts.push(le([crc32(body)], [4]));
  }
  return concat(parts);
}

function compress(block: TestBlock): Uint8Array {
  switch (block.compression) {
    case 0:
      return block.data;
    case 1:
      return deflateSync(block.data);
    case 2:
      return heatshrinkEncode(block.data, 11, 4);
    case 3:
      return heatshrinkEncode(block.data, 12, 4);
  }
}

function le(values: number[], sizes: number[]): Uint8Array {
  const out: number[] = [];
  values.forEach((value, i) => {
    for (let b = 0; b < (sizes[i] ?? 0); b++) out.push(Math.floor(value / 2 ** (8 * b)) & 0xff);
  });
  return Uint8Array.from(out);
}

export function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
