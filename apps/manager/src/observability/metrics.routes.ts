// GET /metrics in the Prometheus text format: for admins (audit.read), or for
// a scraper with `Authorization: Bearer <METRICS_TOKEN>` (the guard admits it
// on routes flagged `metricsToken`).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors } from '../http/schemas.js';
import type { FarmMetrics } from './farm-metrics.js';
import type { ReadFarm } from './farm-readings.js';

export function metricsRoutes({ metrics, readFarm }: { metrics: FarmMetrics; readFarm: ReadFarm }): FastifyPluginAsyncTypebox {
  // One scrape at a time: the farm series are reset and refilled per scrape,
  // so two interleaved scrapes could otherwise render a half-filled registry.
  let queue: Promise<unknown> = Promise.resolve();
  function scrape(): Promise<string> {
    const run = queue.then(async () => {
      metrics.apply(await readFarm());
      return metrics.registry.metrics();
    });
    queue = run.catch(() => undefined);
    return run;
  }

  return async (app) => {
    app.get(
      '/metrics',
      {
        config: { requires: ['audit.read'], metricsToken: true },
        schema: {
          operationId: 'metrics.scrape',
          tags: ['metrics'],
          response: {
            200: {
              description: 'Prometheus text exposition format',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
            ...errors(),
          },
        },
      },
      async (_request, reply) => {
        const text = await scrape();
        return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
      },
    );
  };
}
