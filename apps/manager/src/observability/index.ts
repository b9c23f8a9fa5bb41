// Area entry point: Prometheus metrics and webcam snapshots.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';

export async function registerObservabilityArea(_app: FastifyInstance, _ctx: AreaContext): Promise<void> {
  // Filled in by this area's work.
}
