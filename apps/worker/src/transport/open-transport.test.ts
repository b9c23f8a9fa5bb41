import { describe, expect, it } from 'vitest';
import { parseTransportTarget } from './open-transport.js';

describe('parseTransportTarget', () => {
  it('treats a device path as a serial target', () => {
    expect(parseTransportTarget('/dev/serial/by-id/usb-Prusa_MK3-if00')).toEqual({
      kind: 'serial',
      path: '/dev/serial/by-id/usb-Prusa_MK3-if00',
    });
  });

  it('reads host and port of a network serial bridge', () => {
    expect(parseTransportTarget('tcp://esp3d.local:8888')).toEqual({ kind: 'tcp', host: 'esp3d.local', port: 8888 });
    expect(parseTransportTarget('TCP://[::1]:2000')).toEqual({ kind: 'tcp', host: '::1', port: 2000 });
  });

  it('refuses a bridge address without a port or with a path', () => {
    expect(() => parseTransportTarget('tcp://host')).toThrow(/tcp:\/\/host:port/);
    expect(() => parseTransportTarget('tcp://host:99999')).toThrow(/tcp:\/\/host:port/);
    expect(() => parseTransportTarget('tcp://host:23/x')).toThrow(/tcp:\/\/host:port/);
  });

  it('refuses an empty port', () => {
    expect(() => parseTransportTarget('  ')).toThrow(/no port/);
  });
});
