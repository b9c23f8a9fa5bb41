// Short-lived, single-use tickets for opening the dashboard WebSocket. A
// browser cannot set headers on a WebSocket, so the ticket travels in the
// query string; it is therefore useless alone (the socket also needs the
// same session's cookie), good for LIVE_TICKET_TTL_SECONDS, and consumed on
// first use. Redis holds only its SHA-256.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { LIVE_TICKET_TTL_SECONDS, type LiveKeys } from '@farm/contracts';

const LiveTicket = Type.Object(
  { sessionIdHash: Type.String({ maxLength: 128 }), userId: Type.String({ maxLength: 64 }), issuedAt: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
type LiveTicket = Static<typeof LiveTicket>;

/** 256 bits in base64url. */
export const TICKET_PATTERN = '^[A-Za-z0-9_-]{43}$';
const TICKET_RE = new RegExp(TICKET_PATTERN);

export const hashTicket = (ticket: string): string => createHash('sha256').update(ticket).digest('hex');

export type TicketHolder = { readonly sessionIdHash: string; readonly userId: string };

export type LiveTickets = ReturnType<typeof createLiveTickets>;

export function createLiveTickets(redis: Redis, keys: LiveKeys, now: () => Date) {
  return {
    async issue(holder: TicketHolder): Promise<{ ticket: string; expiresAt: Date }> {
      const ticket = randomBytes(32).toString('base64url');
      const issuedAt = now().getTime();
      const value: LiveTicket = { sessionIdHash: holder.sessionIdHash, userId: holder.userId, issuedAt };
      await redis.set(keys.liveTicket(hashTicket(ticket)), JSON.stringify(value), 'EX', LIVE_TICKET_TTL_SECONDS);
      return { ticket, expiresAt: new Date(issuedAt + LIVE_TICKET_TTL_SECONDS * 1000) };
    },

    /** Consumes the ticket (whoever presents it); true only if it was live and belongs to this session and user. */
    async redeem(ticket: string | undefined, holder: TicketHolder): Promise<boolean> {
      if (ticket === undefined || !TICKET_RE.test(ticket)) return false;
      const text = await redis.getdel(keys.liveTicket(hashTicket(ticket)));
      if (text === null) return false;
      let stored: unknown;
      try {
        stored = JSON.parse(text);
      } catch {
        return false;
      }
      if (!Value.Check(LiveTicket, stored)) return false;
      return stored.sessionIdHash === holder.sessionIdHash && stored.userId === holder.userId;
    },
  };
}
