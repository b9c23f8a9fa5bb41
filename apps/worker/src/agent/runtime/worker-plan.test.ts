import { describe, expect, it } from 'vitest';
import Value from 'typebox/value';
import { AgentPortsReport, PRINTER_PRESETS, PortWorkerSpec, type AgentPrinter, type AgentState } from '@farm/contracts';
import type { SeenPort } from '../identity/port-identity.js';
import { resolvePorts } from '../identity/resolve-ports.js';
import { knownPrinters, plannedWorkers, portReport } from './worker-plan.js';

const profile = PRINTER_PRESETS[0]!.profile;
const CH340 = { vendorId: '1a86', productId: '7523' };
const socket = (n: number) => `pci-0000:00:14.0-usb-0:${n}:1.0-port0`;

function printer(id: string, identity: AgentPrinter['identity'], enabled = true): AgentPrinter {
  return { id, name: `Printer ${id}`, enabled, identity, profile };
}

function state(printers: AgentPrinter[]): AgentState {
  return { hostId: 'host-1', hostName: 'Rack', gateOpen: true, controlKey: 'ab'.repeat(32), printers, cameraAllowedSubnets: ['10.0.0.0/24'] };
}

const port = (path: string, extra: Partial<SeenPort> = {}): SeenPort => ({ path, byId: [], byPath: [], virtual: false, ...extra });

function plan(ports: SeenPort[], s: AgentState) {
  const matches = resolvePorts(ports, knownPrinters(s.printers));
  return { matches, workers: plannedWorkers(matches, s).map((w) => ({ printerId: w.printerId, spec: JSON.parse(w.spec) as unknown })) };
}

describe('AgentState → port workers', () => {
  const mk3 = printer('mk3', { usbSerial: 'CZPX1234X004XC12345', vendorId: '2c99', productId: '0002', devicePath: '/dev/ttyACM0' });

  it('runs a known printer on its path with the full worker spec', () => {
    const s = state([mk3]);
    const { workers } = plan([port('/dev/ttyACM0', { vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234X004XC12345' })], s);
    expect(workers).toEqual([
      { printerId: 'mk3', spec: { printerId: 'mk3', name: 'Printer mk3', port: '/dev/ttyACM0', profile, cameraAllowedSubnets: ['10.0.0.0/24'] } },
    ]);
    expect(Value.Check(PortWorkerSpec, workers[0]!.spec)).toBe(true);
  });

  it('follows a moved printer to the path seen now', () => {
    const { matches, workers } = plan([port('/dev/ttyACM4', { vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234X004XC12345' })], state([mk3]));
    expect(matches[0]?.kind).toBe('moved');
    expect(workers.map((w) => (w.spec as PortWorkerSpec).port)).toEqual(['/dev/ttyACM4']);
  });

  it('runs no worker for a disabled printer, yet knows its port', () => {
    const { matches, workers } = plan([port('/dev/ttyACM0', { vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1234X004XC12345' })], state([{ ...mk3, enabled: false }]));
    expect(matches[0]?.kind).toBe('known');
    expect(workers).toEqual([]);
  });

  it('runs no worker for any candidate of an ambiguous port', () => {
    const a = printer('ender-a', { ...CH340, portPath: socket(1), devicePath: '/dev/ttyUSB0' });
    const b = printer('ender-b', { ...CH340, portPath: socket(2), devicePath: '/dev/ttyUSB1' });
    // One of the two identical boards comes back on a third socket: it could be either.
    const { matches, workers } = plan([port('/dev/ttyUSB2', { ...CH340, physicalPath: socket(3) })], state([a, b]));
    expect(matches[0]).toMatchObject({ kind: 'ambiguous', candidates: ['ender-a', 'ender-b'] });
    expect(workers).toEqual([]);
  });

  it('maps a printer identity: usbSerial → serial number, portPath → physical path', () => {
    expect(knownPrinters([printer('p', { usbSerial: 'S1', vendorId: '1a86', productId: '7523', portPath: socket(1), devicePath: '/dev/ttyUSB0' })])).toEqual([
      { printerId: 'p', serialNumber: 'S1', vendorId: '1a86', productId: '7523', physicalPath: socket(1), devicePath: '/dev/ttyUSB0' },
    ]);
  });
});

describe('port report', () => {
  it('carries every port with its match decision, in the contract', () => {
    const a = printer('ender-a', { ...CH340, portPath: socket(1), devicePath: '/dev/ttyUSB0' });
    const ports = [
      port('/dev/ttyUSB0', { ...CH340, physicalPath: socket(1), byPath: [socket(1)], byId: ['usb-1a86_USB_Serial-if00-port0'] }),
      port('/dev/ttyUSB5', { ...CH340, physicalPath: socket(5) }),
      port('/srv/data/virtual-printers/prusa-1', { serialNumber: 'VIRTUAL-PRUSA-1', virtual: true }),
    ];
    const { ports: reported, skipped } = portReport(resolvePorts(ports, knownPrinters([a])));
    expect(skipped).toEqual([]);
    expect(Value.Check(AgentPortsReport, { ports: reported })).toBe(true);
    expect(reported.map((p) => [p.path, p.match])).toEqual([
      ['/dev/ttyUSB0', { kind: 'known', printerId: 'ender-a' }],
      ['/dev/ttyUSB5', { kind: 'new' }],
      ['/srv/data/virtual-printers/prusa-1', { kind: 'new' }],
    ]);
    expect(reported[0]).toMatchObject({ vendorId: '1a86', productId: '7523', physicalPath: socket(1), virtual: false });
    expect(reported[2]).toMatchObject({ serialNumber: 'VIRTUAL-PRUSA-1', virtual: true });
  });

  it('reports a moved printer with its previous path, and an ambiguity with its candidates', () => {
    const a = printer('ender-a', { ...CH340, portPath: socket(1), devicePath: '/dev/ttyUSB0' });
    const moved = portReport(resolvePorts([port('/dev/ttyUSB3', { ...CH340, physicalPath: socket(1) })], knownPrinters([a]))).ports;
    expect(moved[0]?.match).toEqual({ kind: 'moved', printerId: 'ender-a', previousPath: '/dev/ttyUSB0' });
    const ambiguous = portReport(resolvePorts([port('/dev/ttyUSB3', { ...CH340, physicalPath: socket(2) })], knownPrinters([a]))).ports;
    expect(ambiguous[0]?.match).toEqual({ kind: 'ambiguous', candidates: ['ender-a'], reason: 'no-unique-serial' });
  });

  it('leaves out a port whose identity does not fit the contract', () => {
    const { ports, skipped } = portReport(resolvePorts([port('/dev/ttyUSB0', { serialNumber: 'x'.repeat(300) })], []));
    expect(ports).toEqual([]);
    expect(skipped).toEqual(['/dev/ttyUSB0']);
  });
});
