// CIDR blocks ("10.0.0.0/8", "fd00::/8", or a bare address meaning /32 or /128).
import { parseIp, type IpAddress } from './ip-address.js';

export type Cidr = { readonly network: IpAddress; readonly prefix: number; readonly text: string };

export class CidrError extends Error {
  readonly code = 'invalid-cidr' as const;
  constructor(readonly input: string) {
    super('not a valid CIDR block');
  }
}

export function parseCidr(text: string): Cidr {
  const [addressText = '', prefixText, extra] = text.trim().split('/');
  const network = parseIp(addressText);
  if (network === undefined || extra !== undefined) throw new CidrError(text);
  const max = network.family === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!/^\d{1,3}$/.test(prefixText ?? String(max)) || prefix > max) throw new CidrError(text);
  return { network, prefix, text: text.trim() };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  if (cidr.network.family !== ip.family) return false;
  const full = Math.floor(cidr.prefix / 8);
  for (let i = 0; i < full; i++) if (cidr.network.bytes[i] !== ip.bytes[i]) return false;
  const rest = cidr.prefix % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((cidr.network.bytes[full] ?? 0) & mask) === ((ip.bytes[full] ?? 0) & mask);
}
