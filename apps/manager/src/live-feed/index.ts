// Area entry point: the dashboards' WebSocket feed and live state in printer listings
// (the listings themselves live in printers.routes.ts and use live-summary.ts).
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { liveKeys } from '@farm/contracts';
import type { AreaContext } from '../area-context.js';
import { sessionCookieName } from '../auth/session-cookie.js';
import { createFeedHub, type FeedHub } from './feed-hub.js';
import { liveFeedRoutes } from './live-feed.routes.js';
import { createLiveTickets } from './tickets.js';

/** Client messages are small JSON objects; anything bigger is refused by the socket itself. */
export const MAX_CLIENT_MESSAGE_BYTES = 4 * 1024;

declare module 'fastify' {
  interface FastifyInstance {
    /** The process's live feed (client count, manual sweeps for diagnosis). */
    liveFeed: FeedHub;
  }
}

/** Requests after which some socket's rights may have changed or its session ended. */
function changesSessions(request: FastifyRequest, status: number): boolean {
  if (request.method === 'GET' || status >= 400) return false;
  const url = request.routeOptions.url ?? '';
  // Signing in or stepping up never narrows an existing session.
  if (url === '/api/auth/login' || url === '/api/auth/step-up') return false;
  return url.startsWith('/api/auth/') || url.startsWith('/api/users');
}

function changesPrinters(request: FastifyRequest, status: number): boolean {
  if (request.method === 'GET' || status >= 400) return false;
  return (request.routeOptions.url ?? '').startsWith('/api/printers');
}

export async function registerLiveFeedArea(app: FastifyInstance, ctx: AreaContext): Promise<void> {
  const keys = liveKeys(ctx.config.redisPrefix);
  const hub = createFeedHub({
    redis: ctx.redis,
    keys,
    liveState: ctx.liveState,
    printers: ctx.services.printers,
    auth: ctx.services.auth,
    clock: ctx.clock,
    log: app.log,
  });
  app.decorate('liveFeed', hub);

  // Added before the websocket plugin's own preClose, so sockets get a proper 1001 before the server goes.
  app.addHook('preClose', async () => hub.closeClients());
  await app.register(websocket, { options: { maxPayload: MAX_CLIENT_MESSAGE_BYTES } });
  await app.register(
    liveFeedRoutes({
      hub,
      tickets: createLiveTickets(ctx.redis, keys, () => ctx.clock.now()),
      publicOrigin: ctx.config.publicOrigin,
      sessionCookie: sessionCookieName(ctx.config.secureCookies),
    }),
  );

  // Logout, password and user changes on this manager reach its sockets at once; the periodic re-check covers the rest.
  app.addHook('onResponse', async (request, reply) => {
    if (changesSessions(request, reply.statusCode)) hub.recheckSessions().catch((error: unknown) => app.log.warn({ err: error }, 'live feed: re-check failed'));
    if (changesPrinters(request, reply.statusCode)) hub.invalidatePrinters();
  });
  // Started once the app is ready, so an app that fails to boot leaves no connection or timer behind.
  app.addHook('onReady', () => hub.start());
  app.addHook('onClose', () => hub.stop());
}
