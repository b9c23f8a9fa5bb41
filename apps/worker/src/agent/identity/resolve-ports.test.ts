import { describe, expect, it } from 'vitest';
import type { KnownPrinter, SeenPort } from './port-identity.js';
import { resolvePorts } from './resolve-ports.js';
import { isBogusSerial } from './serial-number.js';

const PRUSA = { vendorId: '2c99', productId: '0002' };
const CH340 = { vendorId: '1a86', productId: '7523' };
const socket = (n: number) => `pci-0000:00:14.0-usb-0:${n}:1.0-port0`;

function port(path: string, extra: Partial<SeenPort> = {}): SeenPort {
  return { path, byId: [], byPath: [], virtual: false, ...extra };
}

const summary = (matches: ReturnType<typeof resolvePorts>) =>
  matches.map((m) => {
    switch (m.kind) {
      case 'known':
        return `${m.port.path}: known ${m.printerId}`;
      case 'moved':
        return `${m.port.path}: moved ${m.printerId} from ${m.previousPath}`;
      case 'new':
        return `${m.port.path}: new (${m.identity.basis})`;
      case 'ambiguous':
        return `${m.port.path}: ambiguous ${m.reason} [${m.candidates.join(',')}]`;
    }
  });

describe('resolvePorts', () => {
  const mk3: KnownPrinter = { printerId: 'mk3', ...PRUSA, serialNumber: 'CZPX1234X004XC12345', physicalPath: socket(1), devicePath: '/dev/ttyACM0' };

  it('recognises a printer with a unique serial number on its usual path', () => {
    const seen = [port('/dev/ttyACM0', { ...PRUSA, serialNumber: 'CZPX1234X004XC12345', physicalPath: socket(1) })];
    expect(summary(resolvePorts(seen, [mk3]))).toEqual(['/dev/ttyACM0: known mk3']);
  });

  it('follows a printer with a unique serial number to another socket and device path', () => {
    const seen = [port('/dev/ttyACM3', { ...PRUSA, serialNumber: 'CZPX1234X004XC12345', physicalPath: socket(4) })];
    expect(summary(resolvePorts(seen, [mk3]))).toEqual(['/dev/ttyACM3: moved mk3 from /dev/ttyACM0']);
  });

  it('lists an unknown board as a new port waiting for adoption', () => {
    const seen = [port('/dev/ttyACM1', { ...PRUSA, serialNumber: 'CZPX9999', physicalPath: socket(2) })];
    expect(summary(resolvePorts(seen, [mk3]))).toEqual(['/dev/ttyACM1: new (serial)']);
  });

  describe('identical CH340 boards without serial numbers', () => {
    const enderA: KnownPrinter = { printerId: 'ender-a', ...CH340, physicalPath: socket(1), devicePath: '/dev/ttyUSB0' };
    const enderB: KnownPrinter = { printerId: 'ender-b', ...CH340, physicalPath: socket(2), devicePath: '/dev/ttyUSB1' };

    it('identifies each by its physical socket', () => {
      const seen = [port('/dev/ttyUSB0', { ...CH340, physicalPath: socket(1) }), port('/dev/ttyUSB1', { ...CH340, physicalPath: socket(2) })];
      expect(summary(resolvePorts(seen, [enderA, enderB]))).toEqual(['/dev/ttyUSB0: known ender-a', '/dev/ttyUSB1: known ender-b']);
    });

    it('keeps the printer when only the tty number changed on the same socket', () => {
      const seen = [port('/dev/ttyUSB1', { ...CH340, physicalPath: socket(1) })];
      expect(summary(resolvePorts(seen, [enderA, enderB]))).toEqual(['/dev/ttyUSB1: moved ender-a from /dev/ttyUSB0']);
    });

    it('flags a board on a new socket while a twin is absent, instead of guessing', () => {
      const seen = [port('/dev/ttyUSB0', { ...CH340, physicalPath: socket(1) }), port('/dev/ttyUSB2', { ...CH340, physicalPath: socket(5) })];
      expect(summary(resolvePorts(seen, [enderA, enderB]))).toEqual(['/dev/ttyUSB0: known ender-a', '/dev/ttyUSB2: ambiguous no-unique-serial [ender-b]']);
    });

    it('names every absent twin as a candidate', () => {
      const seen = [port('/dev/ttyUSB7', { ...CH340, physicalPath: socket(7) })];
      expect(resolvePorts(seen, [enderA, enderB])[0]).toMatchObject({ kind: 'ambiguous', candidates: ['ender-a', 'ender-b'] });
    });

    it('treats a different board model on a known socket as new', () => {
      const seen = [port('/dev/ttyACM0', { ...PRUSA, physicalPath: socket(1) })];
      expect(summary(resolvePorts(seen, [enderA]))).toEqual(['/dev/ttyACM0: new (physical-path)']);
    });
  });

  describe('serial numbers that are not unique', () => {
    it('falls back to the socket when boards report a bogus serial like 0001', () => {
      const known: KnownPrinter = { printerId: 'skr', ...PRUSA, serialNumber: '0001', physicalPath: socket(3), devicePath: '/dev/ttyACM2' };
      const seen = [port('/dev/ttyACM2', { ...PRUSA, serialNumber: '0001', physicalPath: socket(3) })];
      const [match] = resolvePorts(seen, [known]);
      expect(match).toMatchObject({ kind: 'known', printerId: 'skr', identity: { basis: 'physical-path' } });
    });

    it('flags two boards that show the same serial number at once', () => {
      const known: KnownPrinter = { printerId: 'clone', ...PRUSA, serialNumber: 'A1B2C3D4', physicalPath: socket(1), devicePath: '/dev/ttyACM0' };
      const seen = [
        port('/dev/ttyACM0', { ...PRUSA, serialNumber: 'A1B2C3D4', physicalPath: socket(1) }),
        port('/dev/ttyACM1', { ...PRUSA, serialNumber: 'A1B2C3D4', physicalPath: socket(2) }),
      ];
      expect(summary(resolvePorts(seen, [known]))).toEqual([
        '/dev/ttyACM0: ambiguous duplicate-serial [clone]',
        '/dev/ttyACM1: ambiguous duplicate-serial [clone]',
      ]);
    });

    it.each(['0001', '0000', '00000000', '', 'A50285BI', 'FFFFFFFF', '1234567890', '0123456789ABCDEF'])('treats %j as bogus', (serial) => {
      expect(isBogusSerial(serial)).toBe(true);
    });

    it.each(['CZPX1234X004XC12345', '5573932393735151F0A1', '8D7A39AA5350'])('trusts %j', (serial) => {
      expect(isBogusSerial(serial)).toBe(false);
    });

    it('takes extra bogus values from config', () => {
      expect(isBogusSerial('DEADBEEF', ['deadbeef'])).toBe(true);
    });
  });

  it('flags two ports that both claim one printer record', () => {
    const known: KnownPrinter = { printerId: 'v1', devicePath: '/dev/pts/5' };
    const dupA: KnownPrinter = { printerId: 'v2', devicePath: '/dev/pts/5' };
    const seen = [port('/dev/pts/5', { virtual: true })];
    expect(summary(resolvePorts(seen, [known, dupA]))).toEqual(['/dev/pts/5: ambiguous conflict [v1,v2]']);
  });

  it('flags two boards with one real serial and no socket path, naming the printer that owns the serial', () => {
    const owner: KnownPrinter = { printerId: 'mk3', vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234', devicePath: '/dev/ttyACM0' };
    const seen = [
      port('/dev/ttyACM0', { vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234' }),
      port('/dev/ttyACM1', { vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234' }),
    ];
    expect(summary(resolvePorts(seen, [owner]))).toEqual([
      '/dev/ttyACM0: ambiguous duplicate-serial [mk3]',
      '/dev/ttyACM1: ambiguous duplicate-serial [mk3]',
    ]);
  });

  it('identifies a virtual printer without USB ids by its device path', () => {
    const seen = [port('/dev/pts/9', { virtual: true })];
    expect(summary(resolvePorts(seen, [{ printerId: 'demo', devicePath: '/dev/pts/9' }]))).toEqual(['/dev/pts/9: known demo']);
    expect(summary(resolvePorts([port('/dev/pts/10', { virtual: true })], [{ printerId: 'demo', devicePath: '/dev/pts/9' }]))).toEqual([
      '/dev/pts/10: new (device-path)',
    ]);
  });
});
