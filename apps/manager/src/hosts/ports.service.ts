// Detected ports for admins: list what the hosts report, adopt a port as a new
// printer, or bind a port to an existing printer (an ambiguous or moved board).
import { PRINTER_PRESETS, type DetectedPort, type PrinterProfile } from '@farm/contracts';
import { authorize } from '../auth/authorize.js';
import type { Principal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import type { PrinterRecord } from '../printers/printers.repository.js';
import type { PrintersService } from '../printers/printers.service.js';
import { adoptedIdentity } from './adoption-identity.js';
import type { HostPortsStore } from './host-ports.store.js';
import type { HostsRepository } from './hosts.repository.js';
import { awaitsAdoption } from './port-reports.js';

export interface ListedPort {
  hostId: string;
  hostName: string;
  /** When the host sent this report (ms since the epoch). */
  reportedAt: number;
  port: DetectedPort;
}

export interface AdoptInput {
  hostId: string;
  path: string;
  name: string;
  groupId?: string | undefined;
  /** An id from PRINTER_PRESETS; exactly one of preset and profile. */
  preset?: string | undefined;
  profile?: PrinterProfile | undefined;
  /** An ambiguous port may be adopted as a new printer only when the admin confirms it is not a known one. */
  confirmAmbiguous?: boolean | undefined;
}

export interface AssignInput {
  hostId: string;
  path: string;
  printerId: string;
}

export interface PortsServiceDeps {
  hosts: Pick<HostsRepository, 'findById' | 'listActive'>;
  ports: Pick<HostPortsStore, 'read' | 'readMany'>;
  printers: PrintersService;
}

export type PortsService = ReturnType<typeof createPortsService>;

export function createPortsService({ hosts, ports, printers }: PortsServiceDeps) {
  /** The port as its (not revoked) host reports it now, with the whole report for identity decisions. */
  async function reportedPort(hostId: string, path: string) {
    const host = await hosts.findById(hostId);
    if (!host || host.revokedAt !== null) throw new AppError('not_found', { detail: 'no such host' });
    const report = await ports.read(hostId);
    const port = report?.ports.find((p) => p.path === path);
    if (!report || !port) throw new AppError('conflict', { message: 'The host does not report this port now.' });
    return { host, port, all: report.ports };
  }

  function profileOf(input: AdoptInput): PrinterProfile {
    if ((input.preset === undefined) === (input.profile === undefined))
      throw new AppError('validation_failed', { message: 'Give exactly one of preset and profile.' });
    if (input.profile !== undefined) return input.profile;
    const preset = PRINTER_PRESETS.find((p) => p.id === input.preset);
    if (!preset) throw new AppError('validation_failed', { message: 'No such preset.' });
    return preset.profile;
  }

  return {
    async list(principal: Principal | null, options: { all: boolean }): Promise<ListedPort[]> {
      authorize(principal, 'printer.manage');
      const active = await hosts.listActive();
      const reports = await ports.readMany(active.map((h) => h.id));
      const listed: ListedPort[] = [];
      active.forEach((host, i) => {
        const report = reports[i];
        if (!report) return;
        for (const port of report.ports)
          if (options.all || awaitsAdoption(port))
            listed.push({ hostId: host.id, hostName: host.name, reportedAt: report.at, port });
      });
      return listed;
    },

    async adopt(principal: Principal | null, input: AdoptInput): Promise<PrinterRecord> {
      authorize(principal, 'printer.manage');
      const profile = profileOf(input);
      const { host, port, all } = await reportedPort(input.hostId, input.path);
      switch (port.match.kind) {
        case 'known':
        case 'moved':
          throw new AppError('conflict', { message: 'This port already belongs to a printer.' });
        case 'ambiguous':
          if (input.confirmAmbiguous !== true)
            throw new AppError('conflict', {
              message: 'This port may be a known printer; confirm to adopt it as a new one, or assign it.',
            });
          break;
        case 'new':
          break;
      }
      return printers.create(principal, {
        name: input.name,
        groupId: input.groupId,
        identity: adoptedIdentity(host.id, port, all),
        profile,
      });
    },

    /** The printer takes this port's identity and host; the printer service checks scope and retirement. */
    async assign(principal: Principal | null, input: AssignInput): Promise<PrinterRecord> {
      authorize(principal, 'printer.manage');
      const { host, port, all } = await reportedPort(input.hostId, input.path);
      if (port.match.kind === 'known' && port.match.printerId !== input.printerId)
        throw new AppError('conflict', { message: 'This port belongs to another printer.' });
      return printers.update(principal, input.printerId, { identity: adoptedIdentity(host.id, port, all) });
    },
  };
}
