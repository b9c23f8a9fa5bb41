/**
 * M115 replies: the firmware line and its `Cap:` lines.
 *
 *   Marlin   `FIRMWARE_NAME:Marlin bugfix-2.1.x (Nov 24 2026 02:05:21) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-…`
 *   Prusa    `FIRMWARE_NAME:Prusa-Firmware 3.13.2 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-…`
 *   RRF      `FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.5.1 ELECTRONICS: Duet 3 MB6HC v1.01 FIRMWARE_DATE: 2024-04-19`
 *   Klipper  `ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85`
 *   Smoothie `FIRMWARE_NAME:Smoothieware, FIRMWARE_URL:http%3A//smoothieware.org, X-SOURCE_CODE_URL:…, FIRMWARE_VERSION:edge-3332442`
 *   caps     `Cap:AUTOREPORT_TEMP:1`, `Cap:EMERGENCY_PARSER:0`
 */
export type FirmwareFlavor = 'marlin' | 'prusa' | 'reprapfirmware' | 'klipper' | 'smoothieware' | 'repetier' | 'unknown';

export interface FirmwareFields {
  /** `FIRMWARE_NAME` as reported (trimmed). */
  name: string;
  flavor: FirmwareFlavor;
  /** Every `KEY:value` field of the line. */
  fields: Record<string, string>;
}

const KEY = /(?:^|[\s,])([A-Z][A-Z0-9_-]*):/g;

export function isFirmwareLine(line: string): boolean {
  return /^(?:ok\s+)?FIRMWARE_NAME:/.test(line);
}

export function parseFirmwareLine(line: string): FirmwareFields | null {
  if (!isFirmwareLine(line)) return null;
  const text = line.replace(/^ok\s+/, '');
  const keys = [...text.matchAll(KEY)];
  const fields: Record<string, string> = {};
  keys.forEach((match, i) => {
    const key = match[1] ?? '';
    const from = (match.index ?? 0) + match[0].length;
    const to = keys[i + 1]?.index ?? text.length;
    fields[key] = text.slice(from, to).trim().replace(/,$/, '').trim();
  });
  const name = fields.FIRMWARE_NAME ?? '';
  return { name, flavor: flavorOf(name), fields };
}

export function flavorOf(name: string): FirmwareFlavor {
  const lower = name.toLowerCase();
  if (lower.includes('prusa')) return 'prusa';
  if (lower.includes('reprapfirmware')) return 'reprapfirmware';
  if (lower.includes('klipper')) return 'klipper';
  if (lower.includes('smoothie')) return 'smoothieware';
  if (lower.includes('repetier')) return 'repetier';
  if (lower.includes('marlin')) return 'marlin';
  return 'unknown';
}

export interface Capability {
  name: string;
  enabled: boolean;
}

export function parseCapability(line: string): Capability | null {
  const match = /^Cap:([A-Za-z0-9_]+):\s*([01])\s*$/.exec(line);
  if (!match) return null;
  return { name: (match[1] ?? '').toUpperCase(), enabled: match[2] === '1' };
}
