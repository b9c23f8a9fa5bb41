// Area entry point: the dashboards' WebSocket feed and live state in printer listings.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';

export async function registerLiveFeedArea(_app: FastifyInstance, _ctx: AreaContext): Promise<void> {
  // Filled in by this area's work.
}
