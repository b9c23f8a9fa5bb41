// Decides, for every port a host sees, which printer it is: a known printer
// on its usual path, a known printer on a new path, a new port waiting for
// adoption, or ambiguous. Ambiguous is flagged for an admin and never
// guessed: sending a job to the wrong one of two identical boards is worse
// than sending none.
import type { AmbiguityReason, KnownPrinter, PortIdentity, PortMatch, SeenPort } from './port-identity.js';
import { hasUniqueSerial, isBogusSerial, sameSerial, sameUsbModel } from './serial-number.js';

export type ResolveOptions = { readonly extraBogusSerials?: readonly string[] };

export function identityOf(port: SeenPort, all: readonly SeenPort[], options: ResolveOptions = {}): PortIdentity {
  if (hasUniqueSerial(port, all, options.extraBogusSerials) && port.serialNumber !== undefined) {
    return { basis: 'serial', vendorId: port.vendorId, productId: port.productId, serialNumber: port.serialNumber };
  }
  if (port.physicalPath !== undefined) return { basis: 'physical-path', vendorId: port.vendorId, productId: port.productId, physicalPath: port.physicalPath };
  return { basis: 'device-path', path: port.path };
}

function hasUsableSerial(printer: KnownPrinter, options: ResolveOptions): boolean {
  return !isBogusSerial(printer.serialNumber, options.extraBogusSerials);
}

/** The printers whose stored identity this port's identity matches exactly. */
function exactMatches(identity: PortIdentity, known: readonly KnownPrinter[], options: ResolveOptions): KnownPrinter[] {
  switch (identity.basis) {
    case 'serial':
      return known.filter((k) => sameUsbModel(k, identity) && sameSerial(k.serialNumber, identity.serialNumber));
    case 'physical-path':
      return known.filter((k) => !hasUsableSerial(k, options) && sameUsbModel(k, identity) && k.physicalPath === identity.physicalPath);
    case 'device-path':
      return known.filter((k) => k.physicalPath === undefined && !hasUsableSerial(k, options) && k.devicePath === identity.path);
  }
}

export function resolvePorts(ports: readonly SeenPort[], known: readonly KnownPrinter[], options: ResolveOptions = {}): PortMatch[] {
  const identities = ports.map((p) => identityOf(p, ports, options));
  const exact = identities.map((identity) => exactMatches(identity, known, options));

  // A printer claimed by two ports (or a port matching two records) is a conflict for everyone involved.
  const claims = new Map<string, number>();
  for (const matches of exact) if (matches.length === 1) for (const m of matches) claims.set(m.printerId, (claims.get(m.printerId) ?? 0) + 1);
  const confidentlyPresent = new Set([...claims].filter(([, n]) => n === 1).map(([id]) => id));

  return ports.map((port, i): PortMatch => {
    const identity = identities[i] ?? { basis: 'device-path', path: port.path };
    const matches = exact[i] ?? [];
    const ambiguous = (candidates: readonly KnownPrinter[], reason: AmbiguityReason): PortMatch => ({
      kind: 'ambiguous',
      port,
      identity,
      candidates: candidates.map((c) => c.printerId),
      reason,
    });

    const [only, ...others] = matches;
    if (only !== undefined && others.length === 0 && confidentlyPresent.has(only.printerId)) {
      return only.devicePath === port.path
        ? { kind: 'known', port, identity, printerId: only.printerId }
        : { kind: 'moved', port, identity, printerId: only.printerId, previousPath: only.devicePath ?? '' };
    }
    if (matches.length > 0) return ambiguous(matches, 'conflict');
    // Two boards showing one real serial number right now, with no socket to
    // tell them apart: either could be the printer that owns that serial.
    const duplicateSerial = !isBogusSerial(port.serialNumber, options.extraBogusSerials);
    if (identity.basis === 'device-path' && duplicateSerial) {
      const owners = known.filter((k) => sameUsbModel(k, port) && sameSerial(k.serialNumber, port.serialNumber));
      if (owners.length > 0) return ambiguous(owners, 'duplicate-serial');
    }
    if (identity.basis !== 'physical-path') return { kind: 'new', port, identity };

    // No unique serial and nothing at this socket: any absent printer of the
    // same model could be this board after a cable move, or a twin.
    const candidates = known.filter(
      (k) =>
        !confidentlyPresent.has(k.printerId) &&
        sameUsbModel(k, identity) &&
        (!hasUsableSerial(k, options) || sameSerial(k.serialNumber, port.serialNumber)),
    );
    if (candidates.length === 0) return { kind: 'new', port, identity };
    return ambiguous(candidates, duplicateSerial ? 'duplicate-serial' : 'no-unique-serial');
  });
}
