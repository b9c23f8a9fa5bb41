import { describe, expect, it } from 'vitest';
import { heatshrinkDecode } from './heatshrink.js';
import { meatpackDecode } from './meatpack.js';
import { heatshrinkEncode } from './test-encoders.js';
import { BgcodeError } from './errors.js';

const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
const text = (data: Uint8Array): string => String.fromCharCode(...data);

describe('heatshrink decoder', () => {
  const sample = bytes('G1 X10 Y10 E.5\nG1 X10 Y20 E.5\nG1 X10 Y30 E.5\n'.repeat(20));

  it.each([
    [11, 4],
    [12, 4],
  ])('restores what a window %i / lookahead %i encoder wrote', (windowBits, lookaheadBits) => {
    const packed = heatshrinkEncode(sample, windowBits, lookaheadBits);
    expect(packed.length).toBeLessThan(sample.length / 2);
    expect(text(heatshrinkDecode(packed, windowBits, lookaheadBits, sample.length))).toBe(text(sample));
  });

  it('decodes a hand-written stream: literal "a", then copy 3 bytes from distance 1', () => {
    // bits: 1 01100001 | 0 000000000000 0010 | zero padding
    const packed = Uint8Array.from([0b10110000, 0b10000000, 0b00000000, 0b10000000]);
    expect(text(heatshrinkDecode(packed, 12, 4, 4))).toBe('aaaa');
  });

  it('reports data that ends before the stated size', () => {
    const packed = heatshrinkEncode(sample, 12, 4);
    expect(() => heatshrinkDecode(packed.subarray(0, 10), 12, 4, sample.length)).toThrow(BgcodeError);
  });

  it('reports a back-reference that overruns the stated size', () => {
    // literal "a", then a 16-byte copy where only 3 more bytes are expected
    const overrun = Uint8Array.from([0b10110000, 0b10000000, 0b00000011, 0b11000000]);
    expect(() => heatshrinkDecode(overrun, 12, 4, 4)).toThrow(/runs past/);
  });
});

describe('MeatPack decoder', () => {
  const signal = (cmd: number): number[] => [0xff, 0xff, cmd];
  const pack = (low: number, high: number): number => (high << 4) | low;

  it('unpacks nibble pairs, low nibble first, and restores spaces in G lines', () => {
    // "G1X5\n" packed: G=13 1=1 | X=14 5=5 | \n=12 (second nibble padding)
    const input = [...signal(251), pack(13, 1), pack(14, 5), pack(12, 0)];
    expect(text(meatpackDecode(Uint8Array.from(input)))).toBe('G1 X5\n');
  });

  it('reads full-width characters after a 0xF nibble, in order', () => {
    // "M1" : M is full width (low nibble 0xF), '1' packed in the high nibble, emitted after M.
    // "Y" + "Z": both full width (0xFF data byte followed by two characters).
    const input = [...signal(251), pack(15, 1), 0x4d, pack(12, 0), ...[0xff, 0x59, 0x5a], pack(12, 0)];
    expect(text(meatpackDecode(Uint8Array.from(input)))).toBe('M1\nYZ\n');
  });

  it('treats the space code as E in no-spaces mode', () => {
    const input = [...signal(251), ...signal(247), pack(13, 1), pack(11, 5), pack(12, 0)];
    expect(text(meatpackDecode(Uint8Array.from(input)))).toBe('G1 E5\n');
  });

  it('copies comment text verbatim while packing is off and collapses blank lines', () => {
    const input = [...signal(250), ...bytes('; hello\n\n'), ...signal(251), pack(13, 0), pack(12, 0)];
    expect(text(meatpackDecode(Uint8Array.from(input)))).toBe('; hello\nG0\n');
  });
});
