// From the ports a host sees to the workers it should run: one per adopted,
// enabled printer that is recognised with confidence. A new or ambiguous
// port gets no worker: it waits for an admin (to adopt it, or to confirm
// which printer it is).
import type { PortMatch } from '../identity/port-identity.js';
import type { DesiredWorker } from './supervision.js';

export function desiredWorkers(matches: readonly PortMatch[], enabledPrinterIds: ReadonlySet<string>): DesiredWorker[] {
  const workers: DesiredWorker[] = [];
  for (const match of matches) {
    switch (match.kind) {
      case 'known':
      case 'moved':
        if (enabledPrinterIds.has(match.printerId)) workers.push({ printerId: match.printerId, spec: match.port.path });
        break;
      case 'new':
      case 'ambiguous':
        break;
    }
  }
  return workers;
}
