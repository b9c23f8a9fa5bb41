import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeenPort } from '../identity/port-identity.js';
import { listSystemPorts } from './list-ports.js';
import { mergePorts } from './merge-ports.js';
import { PortWatcher } from './port-watcher.js';
import { readSerialLinks } from './serial-links.js';
import { watchUsbHotplug } from './usb-hotplug.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'farm-ports-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('readSerialLinks', () => {
  it('maps each device node to its by-id and by-path names, skipping dangling links', async () => {
    await mkdir(join(root, 'dev'));
    await writeFile(join(root, 'dev', 'ttyUSB0'), '');
    await mkdir(join(root, 'serial', 'by-id'), { recursive: true });
    await mkdir(join(root, 'serial', 'by-path'));
    await symlink('../../dev/ttyUSB0', join(root, 'serial', 'by-id', 'usb-1a86_USB_Serial-if00-port0'));
    await symlink('../../dev/ttyUSB0', join(root, 'serial', 'by-path', 'pci-0000:00:14.0-usb-0:2:1.0-port0'));
    await symlink('../../dev/ttyUSB9', join(root, 'serial', 'by-id', 'usb-gone-if00-port0'));
    const links = await readSerialLinks(join(root, 'serial'));
    expect([...links]).toEqual([
      [join(root, 'dev', 'ttyUSB0'), { byId: ['usb-1a86_USB_Serial-if00-port0'], byPath: ['pci-0000:00:14.0-usb-0:2:1.0-port0'] }],
    ]);
  });

  it('returns nothing where /dev/serial does not exist', async () => {
    expect((await readSerialLinks(join(root, 'missing'))).size).toBe(0);
  });
});

describe('listSystemPorts', () => {
  it('falls back to /dev device nodes when serialport cannot run udevadm', async () => {
    for (const n of ['ttyUSB0', 'ttyACM1', 'ttyS0', 'tty1']) await writeFile(join(root, n), '');
    const reasons: string[] = [];
    const ports = await listSystemPorts({
      list: () => Promise.reject(new Error('spawn udevadm ENOENT')),
      devDir: root,
      onFallback: (r) => reasons.push(r),
    });
    expect(ports.map((p) => p.path).sort()).toEqual([join(root, 'ttyACM1'), join(root, 'ttyUSB0')]);
    expect(reasons).toEqual(['spawn udevadm ENOENT']);
  });

  it('keeps USB serial adapters and drops built-in UARTs', async () => {
    const ports = await listSystemPorts({
      list: () => Promise.resolve([{ path: '/dev/ttyS0' }, { path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1' }]),
    });
    expect(ports).toEqual([{ path: '/dev/ttyACM0', vendorId: '2c99', productId: '0002', serialNumber: 'CZPX1', locationId: undefined }]);
  });

  it('lists through serialport on this machine without throwing', async () => {
    await expect(listSystemPorts()).resolves.toBeInstanceOf(Array);
  });
});

describe('mergePorts', () => {
  it('joins USB details, links and declared virtual printers', () => {
    const links = new Map([
      ['/dev/ttyUSB0', { byId: ['usb-1a86_USB_Serial-if00-port0'], byPath: ['pci-0000:00:14.0-usb-0:2:1.0-port0'] }],
      ['/dev/ttyACM5', { byId: [], byPath: ['pci-0000:00:14.0-usb-0:3:1.0'] }],
    ]);
    const ports = mergePorts(
      [{ path: '/dev/ttyUSB0', vendorId: '1A86', productId: '7523', serialNumber: '  ' }],
      links,
      [{ path: '/dev/pts/4', serialNumber: 'VIRTUAL-1' }],
    );
    expect(ports).toEqual<SeenPort[]>([
      { path: '/dev/pts/4', byId: [], byPath: [], vendorId: undefined, productId: undefined, serialNumber: 'VIRTUAL-1', physicalPath: undefined, virtual: true },
      { path: '/dev/ttyACM5', byId: [], byPath: ['pci-0000:00:14.0-usb-0:3:1.0'], physicalPath: 'pci-0000:00:14.0-usb-0:3:1.0', virtual: false },
      {
        path: '/dev/ttyUSB0',
        byId: ['usb-1a86_USB_Serial-if00-port0'],
        byPath: ['pci-0000:00:14.0-usb-0:2:1.0-port0'],
        vendorId: '1a86',
        productId: '7523',
        serialNumber: undefined,
        physicalPath: 'pci-0000:00:14.0-usb-0:2:1.0-port0',
        virtual: false,
      },
    ]);
  });
});

describe('watchUsbHotplug', () => {
  it('falls back to polling where /sys/bus/usb is missing', async () => {
    const watch = await watchUsbHotplug(() => undefined, { sysBusUsb: join(root, 'no-sys') });
    expect(watch.mode).toBe('polling');
  });

  it('falls back to polling when the usb module fails to load', async () => {
    const watch = await watchUsbHotplug(() => undefined, { sysBusUsb: root, load: () => Promise.reject(new Error('libusb')) });
    expect(watch.mode).toBe('polling');
  });

  it('relays attach and detach events, and stops relaying when closed', async () => {
    const { EventEmitter } = await import('node:events');
    const usb = new EventEmitter();
    let changes = 0;
    const watch = await watchUsbHotplug(() => changes++, { sysBusUsb: root, load: () => Promise.resolve({ usb }) });
    usb.emit('attach');
    usb.emit('detach');
    watch.close();
    usb.emit('attach');
    expect({ mode: watch.mode, changes }).toEqual({ mode: 'usb', changes: 2 });
  });
});

describe('PortWatcher', () => {
  it('reports the first scan and then only changes', async () => {
    const a: SeenPort = { path: '/dev/ttyUSB0', byId: [], byPath: [], virtual: false };
    const b: SeenPort = { path: '/dev/ttyUSB1', byId: [], byPath: [], virtual: false };
    const scans = [[a], [a], [a, b], [a, b], [b]];
    const reported: string[][] = [];
    const watcher = new PortWatcher({
      scan: () => Promise.resolve(scans.shift() ?? []),
      onPorts: (ports) => reported.push(ports.map((p) => p.path)),
      hotplug: () => Promise.resolve({ mode: 'polling', close: () => undefined }),
      pollMs: 60_000,
    });
    expect(await watcher.start()).toBe('polling');
    for (let i = 0; i < 4; i++) await watcher.rescan();
    watcher.stop();
    expect(reported).toEqual([['/dev/ttyUSB0'], ['/dev/ttyUSB0', '/dev/ttyUSB1'], ['/dev/ttyUSB1']]);
  });

  it('rescans soon after a USB event and survives a failing scan', async () => {
    let trigger: () => void = () => undefined;
    let calls = 0;
    const errors: unknown[] = [];
    const seen = new Promise<void>((resolve) => {
      const watcher = new PortWatcher({
        scan: () => {
          calls++;
          if (calls === 1) return Promise.reject(new Error('EACCES'));
          watcher.stop();
          resolve();
          return Promise.resolve([]);
        },
        onPorts: () => undefined,
        onError: (e) => errors.push(e),
        hotplug: (onChange) => {
          trigger = onChange;
          return Promise.resolve({ mode: 'usb', close: () => undefined });
        },
        settleMs: 1,
      });
      void watcher.start().then(() => trigger());
    });
    await seen;
    expect({ calls, errors: errors.length }).toEqual({ calls: 2, errors: 1 });
  });
});
