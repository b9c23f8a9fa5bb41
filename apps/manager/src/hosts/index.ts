// Area entry point: hosts, host agents (agent API), detected ports and adoption.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';

export async function registerHostsArea(_app: FastifyInstance, _ctx: AreaContext): Promise<void> {
  // Filled in by this area's work.
}
