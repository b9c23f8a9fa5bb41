// Combines what the system lists, the by-id/by-path links and the declared
// virtual printers into the ports the identity resolver works on.
import type { SeenPort } from '../identity/port-identity.js';
import type { SerialLinks } from './serial-links.js';

export type ListedPort = {
  readonly path: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly locationId?: string;
};

/** A virtual printer declared in config: a pseudo-terminal or other path, optionally pretending to be a USB board. */
export type VirtualPortConfig = {
  readonly path: string;
  readonly vendorId?: string;
  readonly productId?: string;
  readonly serialNumber?: string;
  readonly physicalPath?: string;
};

const usbId = (id: string | undefined): string | undefined => {
  if (id === undefined || !/^(0x)?[0-9a-f]{1,4}$/i.test(id.trim())) return undefined;
  return id.trim().replace(/^0x/i, '').toLowerCase().padStart(4, '0');
};

const text = (s: string | undefined): string | undefined => (s === undefined || s.trim() === '' ? undefined : s.trim());

export function mergePorts(listed: readonly ListedPort[], links: SerialLinks, virtual: readonly VirtualPortConfig[]): SeenPort[] {
  const byPath = new Map<string, SeenPort>();
  for (const p of listed) {
    const link = links.get(p.path);
    byPath.set(p.path, {
      path: p.path,
      byId: link?.byId ?? [],
      byPath: link?.byPath ?? [],
      vendorId: usbId(p.vendorId),
      productId: usbId(p.productId),
      serialNumber: text(p.serialNumber),
      physicalPath: link?.byPath[0] ?? text(p.locationId),
      virtual: false,
    });
  }
  // A device that only the links reveal (list() failed without udevadm) still counts.
  for (const [path, link] of links) {
    if (byPath.has(path)) continue;
    byPath.set(path, { path, byId: link.byId, byPath: link.byPath, physicalPath: link.byPath[0], virtual: false });
  }
  for (const v of virtual) {
    byPath.set(v.path, {
      path: v.path,
      byId: [],
      byPath: [],
      vendorId: usbId(v.vendorId),
      productId: usbId(v.productId),
      serialNumber: text(v.serialNumber),
      physicalPath: text(v.physicalPath),
      virtual: true,
    });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Whether two scans differ in anything the resolver looks at. */
export function portsDiffer(a: readonly SeenPort[], b: readonly SeenPort[]): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}
