// Area entry point: printer controls, terminal, emergency stop, temperature history.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';

export async function registerControlArea(_app: FastifyInstance, _ctx: AreaContext): Promise<void> {
  // Filled in by this area's work.
}
