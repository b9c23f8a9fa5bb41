// Hosts for admins: create (the token is shown once), rotate, revoke, list
// with whether the agent reports; and the local host `npm start` registers.
import type { Clock } from '../clock.js';
import { authorize } from '../auth/authorize.js';
import { principalUserId, type Principal } from '../auth/principal.js';
import { AppError } from '../errors/app-error.js';
import { newHostToken, parseHostToken } from './host-token.js';
import type { HostPortsStore } from './host-ports.store.js';
import type { HostRecord, HostsRepository } from './hosts.repository.js';

export const LOCAL_HOST_NAME = 'local';

export interface HostView {
  id: string;
  name: string;
  tokenPrefix: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  revokedAt: Date | null;
  /** The agent's port report is present in Redis (it reported within HOST_PORTS_TTL_SECONDS). */
  online: boolean;
}

export interface HostsServiceDeps {
  hosts: HostsRepository;
  ports: Pick<HostPortsStore, 'readMany' | 'remove'>;
  clock: Clock;
}

const UNIQUE_VIOLATION = '23505';

function viewOf(host: HostRecord, online: boolean): HostView {
  return {
    id: host.id,
    name: host.name,
    tokenPrefix: host.tokenPrefix,
    createdAt: host.createdAt,
    lastSeenAt: host.lastSeenAt,
    revokedAt: host.revokedAt,
    online: online && host.revokedAt === null,
  };
}

export type HostsService = ReturnType<typeof createHostsService>;

export function createHostsService({ hosts, ports, clock }: HostsServiceDeps) {
  async function onlineOf(host: HostRecord): Promise<boolean> {
    const [report] = await ports.readMany([host.id]);
    return report !== null && report !== undefined;
  }

  return {
    async list(principal: Principal | null): Promise<HostView[]> {
      authorize(principal, 'printer.manage');
      const all = await hosts.list();
      const reports = await ports.readMany(all.map((h) => h.id));
      return all.map((host, i) => viewOf(host, (reports[i] ?? null) !== null));
    },

    async create(principal: Principal | null, name: string): Promise<{ host: HostView; token: string }> {
      authorize(principal, 'printer.manage');
      const issued = newHostToken();
      try {
        const host = await hosts.insert({
          name,
          tokenPrefix: issued.prefix,
          tokenHash: issued.hash,
          createdBy: principal ? principalUserId(principal) : null,
        });
        return { host: viewOf(host, false), token: issued.token };
      } catch (error) {
        if ((error as { code?: unknown }).code === UNIQUE_VIOLATION)
          throw new AppError('conflict', { message: 'A host with this name exists.' });
        throw error;
      }
    },

    /** The old token stops working at once. */
    async rotateToken(principal: Principal | null, id: string): Promise<{ host: HostView; token: string }> {
      authorize(principal, 'printer.manage');
      const current = await hosts.findById(id);
      if (!current) throw new AppError('not_found');
      if (current.revokedAt) throw new AppError('conflict', { message: 'The host is revoked.' });
      const issued = newHostToken();
      const host = await hosts.replaceToken(id, issued);
      if (!host) throw new AppError('conflict', { message: 'The host is revoked.' });
      return { host: viewOf(host, await onlineOf(host)), token: issued.token };
    },

    /** Idempotent. The agent is refused from now on and its ports leave the list. */
    async revoke(principal: Principal | null, id: string): Promise<HostView> {
      authorize(principal, 'printer.manage');
      const host = await hosts.revoke(id, clock.now());
      if (!host) throw new AppError('not_found');
      await ports.remove(id);
      return viewOf(host, false);
    },

    /** At start: the host `local` holds LOCAL_HOST_TOKEN (inserted, or its token replaced). */
    async ensureLocalHost(token: string): Promise<HostRecord> {
      const parsed = parseHostToken(token);
      if (!parsed) throw new Error('LOCAL_HOST_TOKEN is not a host token');
      return hosts.upsertByName(LOCAL_HOST_NAME, parsed);
    },
  };
}
