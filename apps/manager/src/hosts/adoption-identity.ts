// The identity a printer is adopted with, from the port its host reported.
import type { DetectedPort } from '@farm/contracts';
import type { PrinterIdentity } from '../printers/printers.repository.js';

const usbKey = (p: Pick<DetectedPort, 'vendorId' | 'productId' | 'serialNumber'>) =>
  `${p.vendorId ?? ''}:${p.productId ?? ''}:${p.serialNumber?.trim().toLowerCase() ?? ''}`;

/**
 * A serial number identifies the board when no other port of the same host
 * shows the same one now and the agent did not flag it as shared. (The agent
 * also knows factory-default serials; it treats a stored one of those as
 * unusable and falls back to the physical path, which is stored too.)
 */
export function hasUniqueSerial(port: DetectedPort, all: readonly DetectedPort[]): boolean {
  if (port.serialNumber === undefined || port.serialNumber.trim() === '') return false;
  if (port.match.kind === 'ambiguous' && port.match.reason !== 'conflict') return false;
  const key = usbKey(port);
  return all.filter((p) => usbKey(p) === key).length === 1;
}

export function adoptedIdentity(hostId: string, port: DetectedPort, all: readonly DetectedPort[]): PrinterIdentity {
  return {
    hostId,
    devicePath: port.path,
    vendorId: port.vendorId ?? null,
    productId: port.productId ?? null,
    usbSerial: hasUniqueSerial(port, all) ? (port.serialNumber ?? null) : null,
    // The USB socket: the identity of boards without a unique serial, and a fallback for the rest.
    portPath: port.physicalPath ?? null,
  };
}
