// Who a host token belongs to: found by its clear prefix, then the whole
// token's hash compared in constant time; revoked hosts get nothing.
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';
import { safeEqual } from '../auth/secret-tokens.js';
import type { AgentHost } from '../http/fastify-types.js';
import { parseHostToken } from './host-token.js';
import { createHostsRepository, type HostsRepository } from './hosts.repository.js';

export interface HostAuthenticator {
  authenticate(token: string): Promise<AgentHost | null>;
}

export function hostAuthenticator(hosts: Pick<HostsRepository, 'findByPrefix'>): HostAuthenticator {
  return {
    async authenticate(token) {
      const parsed = parseHostToken(token);
      if (!parsed) return null;
      const host = await hosts.findByPrefix(parsed.prefix);
      if (!host || host.revokedAt !== null || !safeEqual(host.tokenHash, parsed.hash)) return null;
      return { id: host.id, name: host.name };
    },
  };
}

export function createHostAuthenticator(db: Kysely<Database>): HostAuthenticator {
  return hostAuthenticator(createHostsRepository(db));
}
