// Which subnets an admin may open for webcam snapshot URLs. Pure: checks and
// normalises the list; the outbound policy in the worker still blocks the
// always-blocked classes whatever this list says, so these checks are for a
// clear answer to the admin and for defence in depth.
import { cidrContains, CidrError, embeddedIpv4, formatIp, parseCidr, parseIp, type Cidr, type IpAddress } from '@farm/outbound';

/** The agent contract carries at most this many entries (AgentState.cameraAllowedSubnets). */
export const MAX_CAMERA_SUBNETS = 64;
/** Anything broader than a /8 is most of an address family, not a camera network. */
export const MIN_PREFIX = 8;

/** Instance metadata services reachable from inside clouds (AWS/GCP/Azure/OpenStack, ECS, AWS over IPv6). */
const METADATA_ADDRESSES: readonly IpAddress[] = ['169.254.169.254', '169.254.170.2', 'fd00:ec2::254'].map((text) => {
  const ip = parseIp(text);
  if (!ip) throw new Error(`bad built-in address ${text}`);
  return ip;
});

export type SubnetProblem = { readonly entry: string; readonly reason: string };
export type SubnetCheck = { readonly ok: true; readonly subnets: string[] } | { readonly ok: false; readonly problems: SubnetProblem[] };

/** The network address with host bits cleared, so 192.168.1.7/24 is stored as 192.168.1.0/24. */
function networkOf(cidr: Cidr): IpAddress {
  const bytes = Uint8Array.from(cidr.network.bytes);
  for (let bit = cidr.prefix; bit < bytes.length * 8; bit++) {
    const index = Math.floor(bit / 8);
    bytes[index] = (bytes[index] ?? 0) & ~(0x80 >> bit % 8) & 0xff;
  }
  return { family: cidr.network.family, bytes };
}

/** Canonical text: dotted quad, or compressed lower-case IPv6 (the WHATWG URL parser's form). */
function canonical(ip: IpAddress, prefix: number): string {
  if (ip.family === 4) return `${formatIp(ip)}/${prefix}`;
  const host = new URL(`http://[${formatIp(ip)}]/`).hostname.slice(1, -1);
  return `${host}/${prefix}`;
}

function problemOf(cidr: Cidr): string | null {
  if (cidr.prefix === 0) return 'a default route would let camera URLs reach every address; list the camera subnets instead';
  if (cidr.prefix < MIN_PREFIX) return `too broad: use blocks of /${MIN_PREFIX} or narrower`;
  if (METADATA_ADDRESSES.some((ip) => cidrContains(cidr, ip))) {
    return 'covers a cloud metadata address (such as 169.254.169.254), which cameras must never reach; use a narrower block that leaves it out';
  }
  // The outbound policy judges IPv4-mapped, NAT64 and 6to4 addresses as the IPv4 address inside, so such an entry would never match.
  if (embeddedIpv4(networkOf(cidr)) !== undefined) return 'an IPv6 form of IPv4 addresses never matches; list the IPv4 block itself';
  return null;
}

/** Checks every entry and reports all problems at once; on success returns the canonical, de-duplicated list. */
export function checkCameraSubnets(entries: readonly string[]): SubnetCheck {
  const problems: SubnetProblem[] = [];
  const subnets: string[] = [];
  if (entries.length > MAX_CAMERA_SUBNETS) {
    return { ok: false, problems: [{ entry: '', reason: `at most ${MAX_CAMERA_SUBNETS} subnets` }] };
  }
  for (const entry of entries) {
    let cidr: Cidr;
    try {
      cidr = parseCidr(entry);
    } catch (error) {
      if (!(error instanceof CidrError)) throw error;
      problems.push({ entry, reason: 'not a CIDR block such as 192.168.1.0/24 or fd12:3456::/64' });
      continue;
    }
    const problem = problemOf(cidr);
    if (problem) problems.push({ entry, reason: problem });
    else {
      const text = canonical(networkOf(cidr), cidr.prefix);
      if (!subnets.includes(text)) subnets.push(text);
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, subnets };
}
