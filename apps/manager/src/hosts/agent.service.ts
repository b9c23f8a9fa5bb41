// What a host agent asks and tells: its state (the gate, its control key, the
// printers it drives, the camera allowlist) and the ports it sees now.
import {
  controlKeyToHex,
  hostControlKey,
  type AgentPortsReport,
  type AgentPrinter,
  type AgentPrinterIdentity,
  type AgentState,
  type LiveEvent,
} from '@farm/contracts';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import type { AuditRepository } from '../audit/audit.repository.js';
import type { AgentHost } from '../http/fastify-types.js';
import type { PrinterIdentity, PrinterRecord, PrintersRepository } from '../printers/printers.repository.js';
import type { SetupService } from '../setup/setup.service.js';
import type { CameraNetworkStore } from '../observability/camera-network.store.js';
import type { HostPortsStore } from './host-ports.store.js';
import type { HostsRepository } from './hosts.repository.js';
import { portChanges, referencedPrinterIds } from './port-reports.js';

export interface AgentServiceDeps {
  jobSigningSecret: string;
  hosts: Pick<HostsRepository, 'touchLastSeen'>;
  printers: Pick<PrintersRepository, 'listForHost' | 'moveDevicePath'>;
  setup: Pick<SetupService, 'isComplete'>;
  cameraNetwork: Pick<CameraNetworkStore, 'read'>;
  ports: Pick<HostPortsStore, 'swap' | 'publish'>;
  audit: Pick<AuditRepository, 'insert'>;
  clock: Clock;
}

/** Where a request came from, for the audit rows a report causes. */
export interface RequestFacts {
  ip: string;
  requestId: string;
}

/** The agent's contract has no nulls, and USB ids in lower case. */
export function agentIdentityOf(identity: PrinterIdentity): AgentPrinterIdentity {
  return {
    ...(identity.usbSerial !== null ? { usbSerial: identity.usbSerial } : {}),
    ...(identity.vendorId !== null ? { vendorId: identity.vendorId.toLowerCase() } : {}),
    ...(identity.productId !== null ? { productId: identity.productId.toLowerCase() } : {}),
    ...(identity.portPath !== null ? { portPath: identity.portPath } : {}),
    ...(identity.devicePath !== null ? { devicePath: identity.devicePath } : {}),
  };
}

function agentPrinterOf(printer: PrinterRecord): AgentPrinter {
  return {
    id: printer.id,
    name: printer.name,
    enabled: printer.enabled,
    identity: agentIdentityOf(printer.identity),
    profile: printer.profile,
  };
}

export type AgentService = ReturnType<typeof createAgentService>;

export function createAgentService(deps: AgentServiceDeps) {
  const { hosts, printers, setup, cameraNetwork, ports, audit, clock } = deps;
  return {
    async state(host: AgentHost): Promise<AgentState> {
      const [gateOpen, mine, camera] = await Promise.all([
        setup.isComplete(),
        printers.listForHost(host.id),
        cameraNetwork.read(),
        hosts.touchLastSeen(host.id, clock.now()),
      ]);
      return {
        hostId: host.id,
        hostName: host.name,
        gateOpen,
        controlKey: controlKeyToHex(hostControlKey(deps.jobSigningSecret, host.id)),
        printers: mine.map(agentPrinterOf),
        cameraAllowedSubnets: camera.allowedSubnets,
      };
    },

    async reportPorts(host: AgentHost, report: AgentPortsReport, facts: RequestFacts): Promise<void> {
      const now = clock.now();
      const mine = new Set((await printers.listForHost(host.id)).map((p) => p.id));
      // A host speaks only for its own printers; one foreign id and the whole report is refused.
      const foreign = [...referencedPrinterIds(report.ports)].filter((id) => !mine.has(id));
      if (foreign.length > 0) throw new AppError('forbidden', { detail: 'report names printers of another host' });

      const previous = await ports.swap({ hostId: host.id, at: now.getTime(), ports: report.ports });
      await hosts.touchLastSeen(host.id, now);

      for (const port of report.ports) {
        if (port.match.kind !== 'moved') continue;
        if (await printers.moveDevicePath(host.id, port.match.printerId, port.path, now)) {
          await audit.insert({
            actorKind: 'system',
            actorUserId: null,
            actorApiKeyId: null,
            actorName: `host:${host.name}`,
            action: 'printers.devicePathMoved',
            target: port.match.printerId,
            outcome: 'success',
            reason: null,
            ip: facts.ip,
            requestId: facts.requestId,
          });
        }
      }

      const changes = portChanges(previous?.ports ?? [], report.ports);
      const at = now.getTime();
      const events: LiveEvent[] = [
        ...changes.detected.map((port): LiveEvent => ({ type: 'port.detected', at, hostId: host.id, port })),
        ...changes.lost.map((path): LiveEvent => ({ type: 'port.lost', at, hostId: host.id, path })),
      ];
      await ports.publish(events);
    },
  };
}
