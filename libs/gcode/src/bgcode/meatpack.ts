/**
 * Decodes MeatPack-packed G-code as PrusaSlicer's binary G-code stores it
 * (block encodings 1 and 2). One decoder per G-code block: the writer starts
 * every block with its own "enable packing" signal.
 *
 * Format facts (MeatPack, as adapted in Prusa's libbgcode):
 * - `0xFF 0xFF <cmd>` is a control signal: 251 packing on, 250 packing off,
 *   249 reset (packing off), 247/246 "no spaces" on/off, 248 query (ignored).
 *   A single 0xFF followed by another byte is data.
 * - While packing, each byte holds two 4-bit codes, low nibble first:
 *   0-9, '.', ' ' (or 'E' in no-spaces mode), '\n', 'G', 'X'; 0xF means
 *   "the next whole byte is this character". When the first code is '\n'
 *   the second nibble is padding.
 * - While not packing (comment lines in encoding 2), bytes are copied.
 * - The writer drops the spaces of `G…` lines; readers put one back before
 *   each parameter letter, and collapse empty lines, as libbgcode does. We
 *   do the same so our text equals what Prusa's own converter produces.
 */
const SIGNAL = 0xff;
const CMD_ENABLE_PACKING = 251;
const CMD_DISABLE_PACKING = 250;
const CMD_RESET_ALL = 249;
const CMD_ENABLE_NO_SPACES = 247;
const CMD_DISABLE_NO_SPACES = 246;

const NEWLINE = 0x0a;
const SPACE = 0x20;
const LETTER_G = 0x47;
const LETTER_E = 0x45;
// '0'..'9', '.', ' ', '\n', 'G', 'X' (index 15 never decoded: it means "full byte follows").
const NIBBLE = [0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x2e, SPACE, NEWLINE, LETTER_G, 0x58, 0];
// Parameter letters of G0/G1/G2/G3/G29 that get their separating space back.
const G_PARAMETER = new Uint8Array(256);
for (const ch of 'XYZEFIJRPWHCA') G_PARAMETER[ch.charCodeAt(0)] = 1;

export function meatpackDecode(input: Uint8Array): Uint8Array {
  const decoder = new MeatpackDecoder(input.length);
  for (let k = 0; k < input.length; k++) decoder.byte(input[k] ?? 0);
  return decoder.out.subarray(0, decoder.length);
}

// State lives in fields, not closures: V8 keeps field access fast where
// closed-over mutable variables are slow, and this runs per byte.
class MeatpackDecoder {
  // Each input byte yields at most two characters, each of which may gain a space.
  out: Uint8Array;
  length = 0;
  private packing = false;
  private noSpaces = false;
  private signalSeen = false;
  private commandNext = false;
  private fullBytesExpected = 0;
  private deferred = 0;
  private inGLine = false;

  constructor(inputLength: number) {
    this.out = new Uint8Array(inputLength * 4 + 16);
  }

  byte(value: number): void {
    if (value === SIGNAL) {
      if (this.signalSeen) {
        this.commandNext = true;
        this.signalSeen = false;
      } else this.signalSeen = true;
      return;
    }
    if (this.commandNext) {
      this.command(value);
      this.commandNext = false;
      return;
    }
    if (this.signalSeen) {
      this.receive(SIGNAL);
      this.signalSeen = false;
    }
    this.receive(value);
  }

  private receive(value: number): void {
    if (!this.packing) {
      this.emit(value);
      return;
    }
    if (this.fullBytesExpected > 0) {
      this.emit(value);
      if (this.deferred !== 0) {
        this.emit(this.deferred);
        this.deferred = 0;
      }
      this.fullBytesExpected--;
      return;
    }
    const low = value & 0x0f;
    const high = value >> 4;
    if (low === 0x0f) {
      this.fullBytesExpected++;
      if (high === 0x0f) this.fullBytesExpected++;
      else this.deferred = this.nibble(high);
      return;
    }
    const first = this.nibble(low);
    this.emit(first);
    if (first === NEWLINE) return;
    if (high === 0x0f) this.fullBytesExpected++;
    else this.emit(this.nibble(high));
  }

  private nibble(code: number): number {
    return code === 0b1011 && this.noSpaces ? LETTER_E : (NIBBLE[code] ?? 0);
  }

  private emit(ch: number): void {
    const length = this.length;
    const last = length === 0 ? -1 : (this.out[length - 1] ?? -1);
    if (ch === LETTER_G && (length === 0 || last === NEWLINE)) this.inGLine = true;
    else if (ch === NEWLINE) this.inGLine = false;
    if (length + 2 > this.out.length) {
      const grown = new Uint8Array(this.out.length * 2);
      grown.set(this.out);
      this.out = grown;
    }
    if (this.inGLine && last !== SPACE && G_PARAMETER[ch] === 1) this.out[this.length++] = SPACE;
    if (ch !== NEWLINE || this.length === 0 || this.out[this.length - 1] !== NEWLINE) this.out[this.length++] = ch;
  }

  private command(code: number): void {
    switch (code) {
      case CMD_ENABLE_PACKING:
        this.packing = true;
        break;
      case CMD_DISABLE_PACKING:
      case CMD_RESET_ALL:
        this.packing = false;
        break;
      case CMD_ENABLE_NO_SPACES:
        this.noSpaces = true;
        break;
      case CMD_DISABLE_NO_SPACES:
        this.noSpaces = false;
        break;
      default:
        break; // query-config and unknown signals carry no data
    }
  }
}
