// Area entry point: hosts, host agents (agent API), detected ports and adoption.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';
import { createPrintersRepository } from '../printers/printers.repository.js';
import { createCameraNetworkStore } from '../observability/camera-network.store.js';
import { createHostsRepository } from './hosts.repository.js';
import { createHostPortsStore } from './host-ports.store.js';
import { createHostsService } from './hosts.service.js';
import { createAgentService } from './agent.service.js';
import { createPortsService } from './ports.service.js';
import { hostsRoutes } from './hosts.routes.js';
import { agentRoutes } from './agent.routes.js';
import { portsRoutes } from './ports.routes.js';

export async function registerHostsArea(app: FastifyInstance, ctx: AreaContext): Promise<void> {
  const { config, db, redis, clock, services } = ctx;
  const hostRows = createHostsRepository(db);
  const portsStore = createHostPortsStore(redis, config.redisPrefix);
  const hosts = createHostsService({ hosts: hostRows, ports: portsStore, clock });
  const agent = createAgentService({
    jobSigningSecret: config.jobSigningSecret,
    hosts: hostRows,
    printers: createPrintersRepository(db),
    setup: services.setup,
    cameraNetwork: createCameraNetworkStore(db),
    ports: portsStore,
    audit: services.auditLog,
    clock,
  });
  const ports = createPortsService({ hosts: hostRows, ports: portsStore, printers: services.printers });

  // `npm start` runs a host agent beside the manager with this token.
  if (config.localHostToken !== undefined) await hosts.ensureLocalHost(config.localHostToken);

  await app.register(hostsRoutes({ hosts }));
  await app.register(agentRoutes({ agent }));
  await app.register(portsRoutes({ ports }));
}
