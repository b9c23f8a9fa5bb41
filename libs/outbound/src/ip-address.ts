// IP address parsing into raw bytes, so address classes and CIDRs compare
// numerically rather than by text (text forms are where SSRF filters leak:
// `::ffff:7f00:1`, `0x7f.1`, `2130706433` all mean 127.0.0.1).
import { isIPv4, isIPv6 } from 'node:net';

export type IpAddress =
  | { readonly family: 4; readonly bytes: Uint8Array }
  | { readonly family: 6; readonly bytes: Uint8Array };

/** Parses a canonical IPv4 dotted quad or an IPv6 address (brackets and zone allowed). */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIPv4(bare)) return { family: 4, bytes: Uint8Array.from(bare.split('.').map(Number)) };
  const unzoned = bare.split('%')[0] ?? '';
  if (isIPv6(unzoned)) return { family: 6, bytes: parseIpv6(unzoned) };
  return undefined;
}

function parseIpv6(text: string): Uint8Array {
  // A trailing dotted quad (`::ffff:1.2.3.4`) becomes two hex groups first.
  let source = text;
  const lastColon = source.lastIndexOf(':');
  const tail = source.slice(lastColon + 1);
  if (tail.includes('.')) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split('.').map(Number);
    source = `${source.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = source.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const zeros = rest === undefined ? 0 : 8 - headGroups.length - restGroups.length;
  const groups = [...headGroups, ...Array<string>(zeros).fill('0'), ...restGroups];
  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    const value = Number.parseInt(group, 16);
    bytes[i * 2] = value >> 8;
    bytes[i * 2 + 1] = value & 0xff;
  });
  return bytes;
}

/** Formats an address canonically (IPv6 uncompressed, lower-case), for logs and tests. */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(':');
}

/**
 * The IPv4 address an IPv6 address carries inside it, where a router or the
 * host's stack would actually deliver to that IPv4 address: IPv4-mapped
 * (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible
 * (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002:aabb:ccdd::/16).
 */
export function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  if (ip.family !== 6) return undefined;
  const b = ip.bytes;
  const zeroUntil = (end: number): boolean => b.subarray(0, end).every((x) => x === 0);
  const last4 = (): IpAddress => ({ family: 4, bytes: b.slice(12, 16) });
  if (zeroUntil(10) && b[10] === 0xff && b[11] === 0xff) return last4();
  if (zeroUntil(8) && b[8] === 0xff && b[9] === 0xff && b[10] === 0 && b[11] === 0) return last4();
  // ::a.b.c.d, but not :: and ::1, which are their own classes.
  if (zeroUntil(12) && !(b[12] === 0 && b[13] === 0 && b[14] === 0)) return last4();
  const nat64 = [0x00, 0x64, 0xff, 0x9b];
  if (nat64.every((x, i) => b[i] === x) && b.subarray(4, 12).every((x) => x === 0)) return last4();
  if (b[0] === 0x20 && b[1] === 0x02) return { family: 4, bytes: b.slice(2, 6) };
  return undefined;
}
