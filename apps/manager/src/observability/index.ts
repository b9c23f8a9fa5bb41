// Area entry point: Prometheus metrics, webcam snapshots, and the camera network allowlist.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';
import { cameraNetworkRoutes } from './camera-network.routes.js';
import { createCameraNetworkStore } from './camera-network.store.js';
import { createFarmMetrics } from './farm-metrics.js';
import { createFarmReadings } from './farm-readings.js';
import { metricsRoutes } from './metrics.routes.js';
import { snapshotRoutes } from './snapshot.routes.js';
import { createWebcamFrames } from './webcam-frame.js';

export { CAMERA_SUBNETS_SETTING } from './camera-network.store.js';

export async function registerObservabilityArea(app: FastifyInstance, ctx: AreaContext): Promise<void> {
  const keys = ctx.liveState.keys;
  const metrics = createFarmMetrics();
  const readFarm = createFarmReadings({ db: ctx.db, redis: ctx.redis, liveState: ctx.liveState, keys });
  await app.register(metricsRoutes({ metrics, readFarm }));
  await app.register(snapshotRoutes({ db: ctx.db, frames: createWebcamFrames(ctx.redis, keys) }));
  await app.register(cameraNetworkRoutes({ store: createCameraNetworkStore(ctx.db), clock: ctx.clock }));
  app.addHook('onClose', async () => {
    metrics.registry.clear();
  });
}
