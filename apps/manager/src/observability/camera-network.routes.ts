// GET/PUT /api/settings/camera-network: the subnets webcam snapshot URLs may
// reach despite the outbound policy. Changing it is † (step-up) and audited.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import { DateTime, errors } from '../http/schemas.js';
import { checkCameraSubnets, MAX_CAMERA_SUBNETS } from './camera-subnets.js';
import type { CameraNetwork, CameraNetworkStore } from './camera-network.store.js';

const Subnet = Type.String({ minLength: 1, maxLength: 64 });

const CameraNetworkView = Type.Object(
  {
    allowedSubnets: Type.Array(Type.String()),
    updatedAt: Type.Union([DateTime, Type.Null()]),
  },
  { additionalProperties: false },
);

const UpdateBody = Type.Object(
  { allowedSubnets: Type.Array(Subnet, { maxItems: MAX_CAMERA_SUBNETS }) },
  { additionalProperties: false },
);

const view = (network: CameraNetwork) => ({ allowedSubnets: network.allowedSubnets, updatedAt: network.updatedAt });

export function cameraNetworkRoutes({ store, clock }: { store: CameraNetworkStore; clock: Clock }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get(
      '/api/settings/camera-network',
      {
        config: { requires: ['settings.read'] },
        schema: {
          operationId: 'settings.getCameraNetwork',
          tags: ['settings'],
          response: { 200: CameraNetworkView, ...errors() },
        },
      },
      async () => view(await store.read()),
    );

    app.put(
      '/api/settings/camera-network',
      {
        // SECURITY.md puts the camera outbound allowlist under webcam.manage (†).
        config: { requires: ['webcam.manage'], stepUp: true },
        schema: {
          operationId: 'settings.setCameraNetwork',
          tags: ['settings'],
          body: UpdateBody,
          response: { 200: CameraNetworkView, ...errors() },
        },
      },
      async (request) => {
        request.auditNote.target = 'camera.allowedSubnets';
        const checked = checkCameraSubnets(request.body.allowedSubnets);
        if (!checked.ok) {
          const message = checked.problems.map((p) => (p.entry ? `${p.entry}: ${p.reason}` : p.reason)).join('; ');
          throw new AppError('validation_failed', { message: `Refused. ${message}.` });
        }
        const principal = request.principal;
        const by = principal?.kind === 'user' ? principal.userId : null;
        return view(await store.write(checked.subnets, by, clock.now()));
      },
    );
  };
}
