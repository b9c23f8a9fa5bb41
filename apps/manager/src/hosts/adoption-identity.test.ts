import { describe, expect, it } from 'vitest';
import type { DetectedPort } from '@farm/contracts';
import { adoptedIdentity, hasUniqueSerial } from './adoption-identity.js';

const port = (path: string, extra: Partial<DetectedPort> = {}): DetectedPort => ({
  path,
  byId: [],
  byPath: [],
  virtual: false,
  match: { kind: 'new' },
  ...extra,
});

describe('adoption identity', () => {
  const prusa = port('/dev/ttyACM0', {
    vendorId: '2c99',
    productId: '0002',
    serialNumber: 'CZPX1',
    physicalPath: 'usb-0:1',
  });

  it('keeps the serial of a board no other port shares, with its USB ids, device and socket', () => {
    expect(adoptedIdentity('h1', prusa, [prusa, port('/dev/ttyUSB0')])).toEqual({
      hostId: 'h1',
      devicePath: '/dev/ttyACM0',
      vendorId: '2c99',
      productId: '0002',
      usbSerial: 'CZPX1',
      portPath: 'usb-0:1',
    });
  });

  it('drops a serial that another board of the same model shows now, or that the agent flagged as shared', () => {
    const twin = { ...prusa, path: '/dev/ttyACM1', physicalPath: 'usb-0:2' };
    expect(hasUniqueSerial(prusa, [prusa, twin])).toBe(false);
    expect(adoptedIdentity('h1', twin, [prusa, twin])).toMatchObject({ usbSerial: null, portPath: 'usb-0:2' });
    const flagged: DetectedPort = {
      ...prusa,
      match: { kind: 'ambiguous', candidates: [], reason: 'duplicate-serial' },
    };
    expect(hasUniqueSerial(flagged, [flagged])).toBe(false);
    // The same serial on another model is a different board.
    expect(hasUniqueSerial(prusa, [prusa, { ...twin, productId: '0001' }])).toBe(true);
  });

  it('stores nulls for what a virtual or bare port does not show', () => {
    const pty = port('/dev/pts/7', { virtual: true });
    expect(adoptedIdentity('h2', pty, [pty])).toEqual({
      hostId: 'h2',
      devicePath: '/dev/pts/7',
      vendorId: null,
      productId: null,
      usbSerial: null,
      portPath: null,
    });
    expect(hasUniqueSerial(port('/dev/x', { serialNumber: '  ' }), [])).toBe(false);
  });
});
