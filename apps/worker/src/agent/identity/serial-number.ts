// Whether a USB serial number actually identifies one board. Cheap boards
// either have none (CH340 1a86:7523), or all leave the factory with the same
// one (cloned FTDI chips report A50285BI; some firmwares report 0001 or zeros).
import type { SeenPort } from './port-identity.js';

const BOGUS_PATTERNS: readonly RegExp[] = [
  /^0*1?$/, // '', '0', '0000', '0001', '00000001'
  /^(.)\1+$/, // 'FFFFFFFF', '11111111'
  /^0?123456789(0|abcdef)?$/i, // counting sequences
];

const BOGUS_VALUES: ReadonlySet<string> = new Set(['a50285bi', 'ffffffff', 'none', 'n/a']);

export function isBogusSerial(serial: string | undefined, extraBogus: readonly string[] = []): boolean {
  if (serial === undefined) return true;
  const s = serial.trim().toLowerCase();
  if (BOGUS_PATTERNS.some((p) => p.test(s)) || BOGUS_VALUES.has(s)) return true;
  return extraBogus.some((b) => b.trim().toLowerCase() === s);
}

const usbKey = (p: { vendorId?: string; productId?: string; serialNumber?: string }): string =>
  `${p.vendorId ?? ''}:${p.productId ?? ''}:${p.serialNumber?.trim().toLowerCase() ?? ''}`;

/** A serial number identifies the port when it is not a known-bogus value and no other port shows it now. */
export function hasUniqueSerial(port: SeenPort, all: readonly SeenPort[], extraBogus: readonly string[] = []): boolean {
  if (isBogusSerial(port.serialNumber, extraBogus)) return false;
  const key = usbKey(port);
  return all.filter((p) => usbKey(p) === key).length === 1;
}

export function sameUsbModel(a: { vendorId?: string; productId?: string }, b: { vendorId?: string; productId?: string }): boolean {
  return a.vendorId === b.vendorId && a.productId === b.productId;
}

export function sameSerial(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.trim().toLowerCase() === b.trim().toLowerCase();
}
