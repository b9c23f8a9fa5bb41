import { describe, expect, it } from 'vitest';
import type { KnownPrinter, SeenPort } from '../identity/port-identity.js';
import { resolvePorts } from '../identity/resolve-ports.js';
import { desiredWorkers } from './desired-workers.js';

const CH340 = { vendorId: '1a86', productId: '7523' };
const port = (path: string, physicalPath: string): SeenPort => ({ path, byId: [], byPath: [physicalPath], physicalPath, virtual: false, ...CH340 });

describe('desiredWorkers', () => {
  const known: KnownPrinter[] = [
    { printerId: 'a', ...CH340, physicalPath: 'usb-0:1', devicePath: '/dev/ttyUSB0' },
    { printerId: 'b', ...CH340, physicalPath: 'usb-0:2', devicePath: '/dev/ttyUSB1' },
    { printerId: 'off', ...CH340, physicalPath: 'usb-0:3', devicePath: '/dev/ttyUSB2' },
  ];

  it('runs a worker for each enabled printer recognised on its port, at its current path', () => {
    const matches = resolvePorts([port('/dev/ttyUSB4', 'usb-0:1'), port('/dev/ttyUSB2', 'usb-0:3')], known);
    expect(desiredWorkers(matches, new Set(['a', 'b']))).toEqual([{ printerId: 'a', spec: '/dev/ttyUSB4' }]);
  });

  it('runs nothing for a new or ambiguous port', () => {
    const matches = resolvePorts([port('/dev/ttyUSB0', 'usb-0:1'), port('/dev/ttyUSB7', 'usb-0:9')], known);
    expect(matches.map((m) => m.kind)).toEqual(['known', 'ambiguous']);
    expect(desiredWorkers(matches, new Set(['a', 'b', 'off']))).toEqual([{ printerId: 'a', spec: '/dev/ttyUSB0' }]);
  });
});
