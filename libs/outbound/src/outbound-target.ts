// Parses and vets a URL before any network activity, and resolves its host
// exactly once. The WHATWG parser already turns `http://2130706433/` and
// `http://0x7f.1/` into `127.0.0.1`, so the address check sees the real target.
import { lookup } from 'node:dns/promises';
import { decideAddress, type OutboundPolicy } from './address-policy.js';
import { parseIp, type IpAddress } from './ip-address.js';
import { OutboundError } from './outbound-error.js';

export type OutboundTarget = {
  readonly url: URL;
  readonly protocol: 'http:' | 'https:';
  /** Host name without brackets or trailing dot, as used for Host and SNI. */
  readonly host: string;
  /** The address when the URL names one directly. */
  readonly literal: IpAddress | undefined;
};

/** Resolves a host name to every address it has (injected in tests). */
export type Resolver = (host: string) => Promise<string[]>;

export const systemResolver: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

export function parseTarget(raw: string): OutboundTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new OutboundError('invalid-url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundError('scheme-not-allowed');
  if (url.username !== '' || url.password !== '') throw new OutboundError('credentials-in-url');
  const bare = url.hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (bare === '') throw new OutboundError('invalid-url');
  return { url, protocol: url.protocol, host: bare, literal: parseIp(bare) };
}

export type PinnedAddress = { readonly address: string; readonly family: 4 | 6 };

/**
 * The one address the connection will use. Every address the name resolves
 * to must pass the policy, so a name that answers with one public and one
 * internal address is refused rather than raced.
 */
export async function pinAddress(target: OutboundTarget, policy: OutboundPolicy, resolve: Resolver): Promise<PinnedAddress> {
  const addresses = target.literal !== undefined ? [target.host] : await resolveName(target.host, resolve);
  if (addresses.length === 0) throw new OutboundError('dns-failed');
  for (const address of addresses) {
    if (!decideAddress(address, policy).allowed) throw new OutboundError('address-blocked');
  }
  const first = parseIp(addresses[0] ?? '');
  if (first === undefined) throw new OutboundError('dns-failed');
  return { address: addresses[0] ?? '', family: first.family };
}

async function resolveName(host: string, resolve: Resolver): Promise<string[]> {
  // RFC 6761: localhost names are loopback by definition, whatever DNS says.
  if (host === 'localhost' || host.endsWith('.localhost')) return ['127.0.0.1'];
  try {
    return await resolve(host);
  } catch {
    throw new OutboundError('dns-failed');
  }
}
