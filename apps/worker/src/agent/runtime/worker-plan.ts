// Pure mapping between the manager's view (AgentState), the ports seen now
// and what the agent does: which printers it knows, which workers it runs
// (the spec JSON is the supervisor's spec, so a changed path or profile
// restarts the worker) and what it reports back.
import Value from 'typebox/value';
import { DetectedPort, type AgentPrinter, type AgentState, type PortWorkerSpec } from '@farm/contracts';
import type { KnownPrinter, PortMatch } from '../identity/port-identity.js';
import { desiredWorkers } from '../supervision/desired-workers.js';
import type { DesiredWorker } from '../supervision/supervision.js';

/** Every adopted printer, enabled or not: a disabled printer's port is still known, not new. */
export function knownPrinters(printers: readonly AgentPrinter[]): KnownPrinter[] {
  return printers.map((p) => ({
    printerId: p.id,
    vendorId: p.identity.vendorId,
    productId: p.identity.productId,
    serialNumber: p.identity.usbSerial,
    physicalPath: p.identity.portPath,
    devicePath: p.identity.devicePath,
  }));
}

/** One worker per enabled printer recognised with confidence (known or moved), opening the path seen now. */
export function plannedWorkers(matches: readonly PortMatch[], state: AgentState): DesiredWorker[] {
  const printers = new Map(state.printers.map((p) => [p.id, p]));
  const enabled = new Set(state.printers.filter((p) => p.enabled).map((p) => p.id));
  return desiredWorkers(matches, enabled).flatMap(({ printerId, spec: port }) => {
    const printer = printers.get(printerId);
    if (printer === undefined) return [];
    const spec: PortWorkerSpec = { printerId, name: printer.name, port, profile: printer.profile, cameraAllowedSubnets: state.cameraAllowedSubnets };
    return [{ printerId, spec: JSON.stringify(spec) }];
  });
}

const MAX_LINKS = 8;

/** The report for `PUT /api/agent/ports`; ports that cannot be expressed in the contract are left out (and returned for logging). */
export function portReport(matches: readonly PortMatch[]): { ports: DetectedPort[]; skipped: string[] } {
  const ports: DetectedPort[] = [];
  const skipped: string[] = [];
  for (const m of matches) {
    const p = m.port;
    const port: DetectedPort = {
      path: p.path,
      byId: p.byId.slice(0, MAX_LINKS),
      byPath: p.byPath.slice(0, MAX_LINKS),
      ...(p.vendorId === undefined ? {} : { vendorId: p.vendorId }),
      ...(p.productId === undefined ? {} : { productId: p.productId }),
      ...(p.serialNumber === undefined ? {} : { serialNumber: p.serialNumber }),
      ...(p.physicalPath === undefined ? {} : { physicalPath: p.physicalPath }),
      virtual: p.virtual,
      match: reportedMatch(m),
    };
    if (Value.Check(DetectedPort, port) && ports.length < 256) ports.push(port);
    else skipped.push(p.path);
  }
  return { ports, skipped };
}

function reportedMatch(m: PortMatch): DetectedPort['match'] {
  switch (m.kind) {
    case 'known':
      return { kind: 'known', printerId: m.printerId };
    case 'moved':
      return { kind: 'moved', printerId: m.printerId, previousPath: m.previousPath };
    case 'new':
      return { kind: 'new' };
    case 'ambiguous':
      return { kind: 'ambiguous', candidates: [...m.candidates], reason: m.reason };
  }
}
