// Area entry point: printer controls, terminal, emergency stop, temperature history.
import type { FastifyInstance } from 'fastify';
import type { AreaContext } from '../area-context.js';
import { createBlockingConnections } from './blocking-connections.js';
import { createControlClient } from './control-client.js';
import { createControlSigner } from './control-request.js';
import { createControlService } from './control.service.js';
import { controlRoutes } from './control.routes.js';
import { createControlTargetsRepository } from './control-targets.repository.js';
import { createTerminalRate } from './terminal-rate.js';

export { createControlService, type ControlService, type PanelCommand, type StopReport } from './control.service.js';

export async function registerControlArea(app: FastifyInstance, ctx: AreaContext): Promise<void> {
  const keys = ctx.liveState.keys;
  const blocking = createBlockingConnections(ctx.redis);
  app.addHook('onClose', async () => blocking.close());
  const control = createControlService({
    targets: createControlTargetsRepository(ctx.db),
    liveState: ctx.liveState,
    signer: createControlSigner(ctx.config.jobSigningSecret),
    client: createControlClient({ redis: ctx.redis, keys, blocking }),
    terminalRate: createTerminalRate(ctx.redis, ctx.config.redisPrefix, ctx.clock),
    redis: ctx.redis,
    keys,
    clock: ctx.clock,
    allowFirmwareFlash: ctx.config.allowFirmwareFlash,
    isSteppedUp: (stepUpAt) => ctx.services.sessions.isSteppedUp(stepUpAt),
  });
  await app.register(controlRoutes({ control, printers: ctx.services.printers, redis: ctx.redis, keys }));
}
