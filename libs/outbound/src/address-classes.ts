// Special-purpose address ranges (IANA special-purpose registries, RFC 6890 and
// successors) grouped by what reaching them would mean for an SSRF attacker.
import { parseCidr, type Cidr } from './cidr.js';

export type AddressClass =
  | 'unspecified'
  | 'loopback'
  | 'link-local'
  | 'metadata'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'private'
  | 'public';

/** Classes no allowlist entry can open: nothing legitimate lives there. */
export const ALWAYS_BLOCKED: ReadonlySet<AddressClass> = new Set(['unspecified', 'metadata', 'multicast', 'broadcast', 'reserved']);

const table = (cls: AddressClass, blocks: string[]): Array<{ cls: AddressClass; cidr: Cidr }> =>
  blocks.map((b) => ({ cls, cidr: parseCidr(b) }));

// Order matters: the first match wins, so narrow blocks (metadata, broadcast)
// come before the wide ones that contain them.
export const CLASS_TABLE: ReadonlyArray<{ cls: AddressClass; cidr: Cidr }> = [
  // Cloud instance metadata: AWS/GCP/Azure/OpenStack, AWS IPv6, Alibaba, Azure wire server, Oracle.
  ...table('metadata', ['169.254.169.254/32', '169.254.170.2/32', 'fd00:ec2::254/128', '100.100.100.200/32', '168.63.129.16/32', '192.0.0.192/32']),
  ...table('broadcast', ['255.255.255.255/32']),
  ...table('unspecified', ['0.0.0.0/8', '::/128']),
  ...table('loopback', ['127.0.0.0/8', '::1/128']),
  ...table('link-local', ['169.254.0.0/16', 'fe80::/10']),
  ...table('multicast', ['224.0.0.0/4', 'ff00::/8']),
  ...table('reserved', [
    '240.0.0.0/4', // future use
    '192.0.0.0/24', // IETF protocol assignments
    '192.0.2.0/24', '198.51.100.0/24', '203.0.113.0/24', '2001:db8::/32', // documentation
    '100::/64', // discard-only
    'fec0::/10', // deprecated site-local
    '2001::/32', // Teredo: the IPv4 endpoint is obfuscated, so it cannot be checked
  ]),
  ...table('private', ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '198.18.0.0/15', 'fc00::/7']),
];
