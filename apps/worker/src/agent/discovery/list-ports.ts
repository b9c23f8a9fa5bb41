// The system's serial ports through `serialport`. Its Linux lister runs
// `udevadm` and rejects where that is missing (ECOSYSTEM gotcha 6); then we
// fall back to the USB serial device nodes in /dev, without USB details.
import { readdir } from 'node:fs/promises';
import type { ListedPort } from './merge-ports.js';

export type PortLister = () => Promise<ReadonlyArray<{ path: string; vendorId?: string; productId?: string; serialNumber?: string; locationId?: string }>>;

export type ListPortsDeps = {
  readonly list?: PortLister;
  readonly devDir?: string;
  readonly onFallback?: (reason: string) => void;
};

const serialportLister: PortLister = async () => {
  const { SerialPort } = await import('serialport');
  return SerialPort.list();
};

const USB_SERIAL_NODE = /^tty(USB|ACM)\d+$/;

export async function listSystemPorts(deps: ListPortsDeps = {}): Promise<ListedPort[]> {
  try {
    const listed = await (deps.list ?? serialportLister)();
    // Only USB serial adapters are printers; built-in /dev/ttyS* UARTs are listed too on some boards.
    return listed
      .filter((p) => p.vendorId !== undefined || USB_SERIAL_NODE.test(p.path.split('/').pop() ?? ''))
      .map((p) => ({ path: p.path, vendorId: p.vendorId, productId: p.productId, serialNumber: p.serialNumber, locationId: p.locationId }));
  } catch (error) {
    deps.onFallback?.(error instanceof Error ? error.message : String(error));
    const dev = deps.devDir ?? '/dev';
    const names = await readdir(dev).catch(() => [] as string[]);
    return names.filter((n) => USB_SERIAL_NODE.test(n)).map((n) => ({ path: `${dev}/${n}` }));
  }
}
