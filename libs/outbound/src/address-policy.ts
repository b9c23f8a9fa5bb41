// Which resolved addresses an outbound request may connect to. Pure: the
// caller resolves the host once and asks about every address it got.
import { CLASS_TABLE, ALWAYS_BLOCKED, type AddressClass } from './address-classes.js';
import { cidrContains, parseCidr, type Cidr } from './cidr.js';
import { embeddedIpv4, parseIp, type IpAddress } from './ip-address.js';

export type OutboundPolicy = {
  /** Admin allowlist. Opens private, loopback and link-local addresses it covers (never metadata, multicast & co). */
  readonly allow: readonly Cidr[];
  /** Internal service addresses (Postgres, Redis, the manager): blocked even when an allowlist entry covers them. */
  readonly internal: readonly Cidr[];
  /** Whether public internet addresses are allowed without an allowlist entry (false for cameras by default). */
  readonly allowPublic: boolean;
};

export type PolicyInput = { allow?: readonly string[]; internal?: readonly string[]; allowPublic?: boolean };

/** Builds a policy from admin/config text; throws CidrError on a malformed entry. Defaults: nothing allowed. */
export function outboundPolicy(input: PolicyInput = {}): OutboundPolicy {
  return {
    allow: (input.allow ?? []).map(parseCidr),
    internal: (input.internal ?? []).map(parseCidr),
    allowPublic: input.allowPublic ?? false,
  };
}

export type AddressDecision =
  | { readonly allowed: true; readonly cls: AddressClass; readonly via: 'allowlist' | 'public' }
  | { readonly allowed: false; readonly cls: AddressClass | 'internal' | 'invalid'; readonly reason: BlockReason };

export type BlockReason = 'always-blocked' | 'internal-service' | 'not-allowlisted' | 'invalid-address';

export function classifyAddress(ip: IpAddress): AddressClass {
  for (const { cls, cidr } of CLASS_TABLE) if (cidrContains(cidr, ip)) return cls;
  return 'public';
}

export function decideAddress(address: string | IpAddress, policy: OutboundPolicy): AddressDecision {
  const ip = typeof address === 'string' ? parseIp(address) : address;
  if (ip === undefined) return { allowed: false, cls: 'invalid', reason: 'invalid-address' };
  // An IPv6 form that delivers to an IPv4 address is judged as that IPv4
  // address: `::ffff:127.0.0.1` is loopback, whatever its spelling.
  const inner = embeddedIpv4(ip);
  return decideOne(inner ?? ip, policy);
}

function decideOne(ip: IpAddress, policy: OutboundPolicy): AddressDecision {
  const cls = classifyAddress(ip);
  if (ALWAYS_BLOCKED.has(cls)) return { allowed: false, cls, reason: 'always-blocked' };
  if (policy.internal.some((c) => cidrContains(c, ip))) return { allowed: false, cls: 'internal', reason: 'internal-service' };
  if (policy.allow.some((c) => cidrContains(c, ip))) return { allowed: true, cls, via: 'allowlist' };
  if (cls === 'public' && policy.allowPublic) return { allowed: true, cls, via: 'public' };
  return { allowed: false, cls, reason: 'not-allowlisted' };
}
