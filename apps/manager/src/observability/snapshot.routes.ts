// GET /api/printers/:id/snapshot: the printer's latest webcam frame, only to
// users who may view that printer's camera (outside their groups: 404).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';
import { authorize } from '../auth/authorize.js';
import { AppError } from '../errors/app-error.js';
import { IdParams, errors } from '../http/schemas.js';
import type { WebcamFrames } from './webcam-frame.js';

const Binary = { schema: { type: 'string', format: 'binary' } };

export function snapshotRoutes({ db, frames }: { db: Kysely<Database>; frames: WebcamFrames }): FastifyPluginAsyncTypebox {
  async function groupOf(printerId: string): Promise<string> {
    const row = await db
      .selectFrom('printers')
      .select('group_id')
      .where('id', '=', printerId)
      .where('retired_at', 'is', null)
      .executeTakeFirst();
    if (!row) throw new AppError('not_found');
    return row.group_id;
  }

  return async (app) => {
    app.get(
      '/api/printers/:id/snapshot',
      {
        config: { requires: ['webcam.view'] },
        schema: {
          operationId: 'printers.snapshot',
          tags: ['printers'],
          params: IdParams,
          response: {
            200: {
              description: 'The latest frame, as the camera delivered it',
              content: { 'image/jpeg': Binary, 'image/png': Binary, 'image/webp': Binary },
            },
            ...errors(404),
          },
        },
      },
      async (request, reply) => {
        const printerId = request.params.id;
        authorize(request.principal, 'webcam.view', { groupId: await groupOf(printerId) });
        // Marked even when there is no frame yet: the worker then snaps sooner.
        await frames.markWatched(printerId);
        const frame = await frames.latest(printerId);
        if (!frame) throw new AppError('no_snapshot');
        return reply
          .header('content-type', frame.mime)
          .header('cache-control', 'no-store')
          .header('x-content-type-options', 'nosniff')
          .header('last-modified', new Date(frame.at).toUTCString())
          .send(frame.bytes);
      },
    );
  };
}
