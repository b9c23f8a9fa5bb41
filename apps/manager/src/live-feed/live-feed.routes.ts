// The live feed's HTTP side: a ticket for the socket, and the socket itself.
//
// Protocol (JSON text frames):
//   POST /api/live/ticket → {ticket, expiresAt}; then GET /api/live?ticket=… as a WebSocket,
//   same-origin, with the session cookie. Refused before the upgrade: 403 (Origin), 401 (ticket).
//   server → client: {type:'snapshot', at, printers:[{id, name, groupId, live}]} first, then
//     LiveEvent objects (printer.state | printer.temperature | printer.offline | printer.alarm |
//     printer.snapshot | printer.log | port.detected | port.lost) exactly as the contract shapes them,
//     {type:'ack', request} for each handled request, {type:'error', code, message, request?}.
//   client → server: {type:'log.subscribe'|'log.unsubscribe'|'camera.watch'|'camera.unwatch', printerId},
//     {type:'temperature.interval', intervalMs} (1000–60000).
//   Close codes: 4401 session ended, 4429 too many messages, 1009 message too big, 1001 server closing.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { DateTime, errors } from '../http/schemas.js';
import { AppError } from '../errors/app-error.js';
import type { FeedHub } from './feed-hub.js';
import type { LiveTickets } from './tickets.js';

export interface LiveFeedRoutesDeps {
  hub: Pick<FeedHub, 'attach'>;
  tickets: LiveTickets;
  publicOrigin: string;
  sessionCookie: string;
}

const TicketQuery = Type.Object({ ticket: Type.Optional(Type.String({ maxLength: 128 })) }, { additionalProperties: false });

export function liveFeedRoutes({ hub, tickets, publicOrigin, sessionCookie }: LiveFeedRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.post(
      '/api/live/ticket',
      {
        config: { requires: ['printer.read'], sessionOnly: true },
        schema: {
          operationId: 'live.ticket',
          tags: ['live'],
          description: 'A single-use ticket, valid for 30 seconds, to open the live WebSocket from this session.',
          response: {
            200: Type.Object({ ticket: Type.String(), expiresAt: DateTime }, { additionalProperties: false }),
            ...errors(),
          },
        },
      },
      async (request) => {
        const principal = request.principal;
        if (principal?.kind !== 'user') throw new AppError('session_only');
        const issued = await tickets.issue({ sessionIdHash: principal.session.idHash, userId: principal.userId });
        return { ticket: issued.ticket, expiresAt: issued.expiresAt.toISOString() };
      },
    );

    app.route({
      method: 'GET',
      url: '/api/live',
      config: { requires: ['printer.read'], sessionOnly: true },
      schema: {
        operationId: 'live.socket',
        // An upgrade answers 101, which OpenAPI cannot describe; hidden as @fastify/websocket hides its routes.
        hide: true,
        querystring: TicketQuery,
        response: { ...errors() },
      },
      // Runs after the guard resolved the session cookie, before the upgrade is accepted.
      preValidation: async (request) => {
        if (!request.ws) return;
        // Browsers always send Origin on a WebSocket handshake; another site's page must not ride our cookie.
        if (request.headers.origin !== publicOrigin) throw new AppError('forbidden', { detail: 'websocket origin' });
        const principal = request.principal;
        if (principal?.kind !== 'user') throw new AppError('session_only');
        const ticket = (request.query as { ticket?: unknown }).ticket;
        const ok = await tickets.redeem(typeof ticket === 'string' ? ticket : undefined, {
          sessionIdHash: principal.session.idHash,
          userId: principal.userId,
        });
        if (!ok) throw new AppError('unauthenticated', { detail: 'live ticket missing, used, expired or not this session' });
      },
      handler: async () => {
        throw new AppError('bad_request', { message: 'websocket required' });
      },
      wsHandler: (socket, request) => {
        const principal = request.principal;
        const cookie = request.cookies[sessionCookie];
        if (principal?.kind !== 'user' || cookie === undefined) {
          socket.close(1008, 'unauthenticated');
          return;
        }
        hub.attach(socket, principal, cookie);
      },
    });
  };
}
