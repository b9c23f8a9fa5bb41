// Pure logic over host agents' port reports: which printers a report names,
// what changed since the previous one, and which ports still wait for an admin.
import type { DetectedPort } from '@farm/contracts';

/** Every printer id a report refers to (matches and ambiguity candidates). */
export function referencedPrinterIds(ports: readonly DetectedPort[]): Set<string> {
  const ids = new Set<string>();
  for (const port of ports) {
    const match = port.match;
    switch (match.kind) {
      case 'known':
      case 'moved':
        ids.add(match.printerId);
        break;
      case 'ambiguous':
        for (const id of match.candidates) ids.add(id);
        break;
      case 'new':
        break;
    }
  }
  return ids;
}

export interface PortChanges {
  detected: DetectedPort[];
  lost: string[];
}

/** Ports (by device path) that appeared or disappeared between two reports. */
export function portChanges(previous: readonly DetectedPort[], next: readonly DetectedPort[]): PortChanges {
  const before = new Set(previous.map((p) => p.path));
  const after = new Set(next.map((p) => p.path));
  return {
    detected: next.filter((p) => !before.has(p.path)),
    lost: [...before].filter((path) => !after.has(path)),
  };
}

/** A port no printer claims yet: new, or ambiguous (an admin must decide). */
export function awaitsAdoption(port: DetectedPort): boolean {
  return port.match.kind === 'new' || port.match.kind === 'ambiguous';
}
