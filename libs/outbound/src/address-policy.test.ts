import { describe, expect, it } from 'vitest';
import { decideAddress, outboundPolicy } from './address-policy.js';
import { CidrError } from './cidr.js';
import { formatIp, parseIp } from './ip-address.js';

const closed = outboundPolicy();
const lan = outboundPolicy({ allow: ['192.168.1.0/24', 'fd12:3456::/32'] });

describe('decideAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.3.4', 'loopback'],
    ['::1', 'loopback'],
    ['169.254.10.20', 'link-local'],
    ['fe80::1', 'link-local'],
    ['febf::1', 'link-local'],
    ['10.1.2.3', 'private'],
    ['172.31.255.1', 'private'],
    ['192.168.0.9', 'private'],
    ['100.64.0.1', 'private'],
    ['fd00::5', 'private'],
    ['8.8.8.8', 'public'],
  ])('refuses %s (%s) when nothing is allowlisted', (ip, cls) => {
    expect(decideAddress(ip, closed)).toEqual({ allowed: false, cls, reason: 'not-allowlisted' });
  });

  it.each([
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['100.100.100.200', 'metadata'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['240.0.0.1', 'reserved'],
  ])('always refuses %s (%s), even under an allow-everything list', (ip, cls) => {
    const everything = outboundPolicy({ allow: ['0.0.0.0/0', '::/0'], allowPublic: true });
    expect(decideAddress(ip, everything)).toEqual({ allowed: false, cls, reason: 'always-blocked' });
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['2002:a9fe:a9fe::1', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:169.254.169.254', 'metadata'],
  ])('judges the IPv4 address inside the IPv6 form %s as %s', (ip, cls) => {
    const decision = decideAddress(ip, closed);
    expect(decision.allowed).toBe(false);
    expect(decision.cls).toBe(cls);
  });

  it('allows a LAN camera only inside the admin allowlist', () => {
    expect(decideAddress('192.168.1.40', lan)).toEqual({ allowed: true, cls: 'private', via: 'allowlist' });
    expect(decideAddress('192.168.2.40', lan).allowed).toBe(false);
    expect(decideAddress('fd12:3456:1::9', lan).allowed).toBe(true);
    expect(decideAddress('::ffff:192.168.1.40', lan).allowed).toBe(true);
  });

  it('keeps metadata closed when the allowlist covers all of link-local', () => {
    const linkLocal = outboundPolicy({ allow: ['169.254.0.0/16'] });
    expect(decideAddress('169.254.10.20', linkLocal).allowed).toBe(true);
    expect(decideAddress('169.254.169.254', linkLocal).allowed).toBe(false);
  });

  it('blocks internal service addresses even when the allowlist covers them', () => {
    const policy = outboundPolicy({ allow: ['172.18.0.0/16'], internal: ['172.18.0.3', '172.18.0.4/32'] });
    expect(decideAddress('172.18.0.10', policy).allowed).toBe(true);
    expect(decideAddress('172.18.0.3', policy)).toEqual({ allowed: false, cls: 'internal', reason: 'internal-service' });
    expect(decideAddress('::ffff:172.18.0.4', policy).allowed).toBe(false);
  });

  it('allows public addresses only when the policy says so (webhooks)', () => {
    expect(decideAddress('93.184.215.14', outboundPolicy({ allowPublic: true }))).toEqual({ allowed: true, cls: 'public', via: 'public' });
    expect(decideAddress('10.0.0.1', outboundPolicy({ allowPublic: true })).allowed).toBe(false);
  });

  it('refuses text that is not an address', () => {
    expect(decideAddress('127.1', closed)).toEqual({ allowed: false, cls: 'invalid', reason: 'invalid-address' });
    expect(decideAddress('camera.local', closed).allowed).toBe(false);
  });

  it('rejects malformed allowlist entries', () => {
    expect(() => outboundPolicy({ allow: ['10.0.0.0/33'] })).toThrow(CidrError);
    expect(() => outboundPolicy({ allow: ['10.0.0/8'] })).toThrow(CidrError);
    expect(() => outboundPolicy({ allow: ['10.0.0.0/8/1'] })).toThrow(CidrError);
  });
});

describe('parseIp', () => {
  it('expands compressed IPv6 and embedded dotted quads', () => {
    expect(formatIp(parseIp('[fe80::1%eth0]')!)).toBe('fe80:0:0:0:0:0:0:1');
    expect(formatIp(parseIp('::ffff:1.2.3.4')!)).toBe('0:0:0:0:0:ffff:102:304');
    expect(formatIp(parseIp('1:2:3:4:5:6:7:8')!)).toBe('1:2:3:4:5:6:7:8');
  });
});
