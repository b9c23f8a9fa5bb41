// Server-side sessions: 30 minutes idle (sliding), 12 hours absolute. The
// cookie holds a random id; the database holds only its keyed hash.
import type { Clock } from '../clock.js';
import { hmac, newToken } from './secret-tokens.js';
import type { SessionRecord, SessionsRepository } from './sessions.repository.js';

export const SESSION_IDLE_MS = 30 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
export const STEP_UP_WINDOW_MS = 5 * 60 * 1000;
/** Avoid a write per request: last-seen moves in steps of this much. */
const TOUCH_EVERY_MS = 30 * 1000;

export interface SessionsServiceDeps {
  sessions: Pick<SessionsRepository, 'insert' | 'find' | 'touch' | 'delete' | 'deleteForUser' | 'markSteppedUp'>;
  clock: Clock;
  sessionSecret: string;
}

export type SessionsService = ReturnType<typeof createSessionsService>;

export function createSessionsService({ sessions, clock, sessionSecret }: SessionsServiceDeps) {
  const hashId = (id: string) => hmac(sessionSecret, id);

  return {
    hashId,

    /** A brand-new session id (never reuses one the client sent). */
    async create(userId: string, meta: { ip: string | null; userAgent: string | null }) {
      const id = newToken();
      const csrfToken = newToken();
      await sessions.insert({
        idHash: hashId(id),
        userId,
        csrfToken,
        now: clock.now(),
        ip: meta.ip,
        userAgent: meta.userAgent?.slice(0, 256) ?? null,
      });
      return { id, csrfToken };
    },

    /**
     * The live session for a cookie value, or undefined (expired ones are deleted).
     * `touch: false` checks without counting as activity (a live feed's periodic
     * re-check must not keep an unattended session from idling out).
     */
    async resolve(id: string, options: { touch?: boolean } = {}): Promise<SessionRecord | undefined> {
      const idHash = hashId(id);
      const record = await sessions.find(idHash);
      if (!record) return undefined;
      const now = clock.now().getTime();
      const idleFor = now - record.lastSeenAt.getTime();
      const age = now - record.createdAt.getTime();
      if (idleFor > SESSION_IDLE_MS || age > SESSION_ABSOLUTE_MS) {
        await sessions.delete(idHash);
        return undefined;
      }
      if (options.touch !== false && idleFor > TOUCH_EVERY_MS) await sessions.touch(idHash, clock.now());
      return record;
    },

    isSteppedUp(stepUpAt: Date | null): boolean {
      return stepUpAt !== null && clock.now().getTime() - stepUpAt.getTime() <= STEP_UP_WINDOW_MS;
    },

    async markSteppedUp(idHash: string): Promise<Date> {
      const now = clock.now();
      await sessions.markSteppedUp(idHash, now);
      return now;
    },

    revoke: (idHash: string) => sessions.delete(idHash),
    revokeAllForUser: (userId: string, exceptIdHash?: string) => sessions.deleteForUser(userId, exceptIdHash),
  };
}
