import { describe, expect, it } from 'vitest';
import { checkCameraSubnets } from './camera-subnets.js';

const refusedReason = (entry: string): string => {
  const result = checkCameraSubnets([entry]);
  if (result.ok) throw new Error(`${entry} was accepted`);
  return result.problems.map((p) => p.reason).join('; ');
};

describe('camera subnets', () => {
  it('accepts private, loopback and link-local camera networks, in canonical form', () => {
    expect(checkCameraSubnets(['192.168.1.0/24', ' 10.0.0.0/8 ', '127.0.0.1', 'FD12:3456:0::/48', '169.254.10.0/24'])).toEqual({
      ok: true,
      subnets: ['192.168.1.0/24', '10.0.0.0/8', '127.0.0.1/32', 'fd12:3456::/48', '169.254.10.0/24'],
    });
  });

  it('clears host bits and drops duplicates that mean the same block', () => {
    expect(checkCameraSubnets(['192.168.1.77/24', '192.168.1.0/24', 'fd00:1:2:3::9/64', 'fd00:1:2:3::/64'])).toEqual({
      ok: true,
      subnets: ['192.168.1.0/24', 'fd00:1:2:3::/64'],
    });
  });

  it('refuses a default route in either family', () => {
    expect(refusedReason('0.0.0.0/0')).toMatch(/default route/);
    expect(refusedReason('::/0')).toMatch(/default route/);
    expect(refusedReason('10.1.2.3/0')).toMatch(/default route/);
  });

  it('refuses blocks broader than /8', () => {
    expect(refusedReason('0.0.0.0/1')).toMatch(/too broad/);
    expect(refusedReason('2000::/3')).toMatch(/too broad/);
  });

  it('refuses the cloud metadata address and any block that covers it', () => {
    expect(refusedReason('169.254.169.254')).toMatch(/metadata/);
    expect(refusedReason('169.254.169.254/32')).toMatch(/metadata/);
    expect(refusedReason('169.254.0.0/16')).toMatch(/metadata/);
    expect(refusedReason('169.254.170.2/31')).toMatch(/metadata/);
    expect(refusedReason('fd00:ec2::/32')).toMatch(/metadata/);
  });

  it('refuses IPv6 spellings of IPv4 blocks, which the outbound policy never matches', () => {
    expect(refusedReason('::ffff:192.168.1.0/120')).toMatch(/IPv4/);
    expect(refusedReason('64:ff9b::c0a8:100/120')).toMatch(/IPv4/);
  });

  it('refuses text that is not a CIDR block', () => {
    for (const entry of ['', 'camera.local', '192.168.1.0/33', '192.168.1.0/24/8', '0x7f.1/32', '192.168.1.0/-1', '10.0.0.0/ 8']) {
      expect(refusedReason(entry)).toMatch(/not a CIDR/);
    }
  });

  it('reports every problem at once', () => {
    const result = checkCameraSubnets(['192.168.1.0/24', '0.0.0.0/0', 'nonsense', '169.254.169.254']);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.entry)).toEqual(['0.0.0.0/0', 'nonsense', '169.254.169.254']);
  });

  it('accepts an empty list and refuses more than 64 entries', () => {
    expect(checkCameraSubnets([])).toEqual({ ok: true, subnets: [] });
    expect(checkCameraSubnets(Array.from({ length: 65 }, (_, i) => `10.0.${i}.0/24`)).ok).toBe(false);
  });
});
