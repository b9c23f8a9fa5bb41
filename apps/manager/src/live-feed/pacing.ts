// Per-client pacing decisions, kept pure so they can be tested without
// sockets: temperature throttling and back-pressure.

/** Above this many queued bytes a client gets no temperature updates (they are the most frequent and least important). */
export const SOFT_BUFFER_BYTES = 256 * 1024;
/** Above this the client is too far behind to catch up: it is closed and may reconnect for a fresh snapshot. */
export const HARD_BUFFER_BYTES = 4 * 1024 * 1024;

export type SendDecision = 'send' | 'drop' | 'close';

export function sendDecision(bufferedBytes: number, droppable: boolean): SendDecision {
  if (bufferedBytes > HARD_BUFFER_BYTES) return 'close';
  if (droppable && bufferedBytes > SOFT_BUFFER_BYTES) return 'drop';
  return 'send';
}

export type ThrottleDecision = { kind: 'now' } | { kind: 'later'; inMs: number } | { kind: 'pending' };

/**
 * Temperature throttle for one client and printer, in fixed time slots of one
 * interval: the first sample of a slot goes at once; a second one in the same
 * slot waits for the next slot (replacing any sample already waiting), so the
 * client always ends on the latest. Fixed slots, not "an interval after the
 * last send": workers sample at about the same rate as the interval, and a
 * sample sent late would otherwise hold back every one after it.
 */
export function throttleDecision(nowMs: number, lastSentMs: number | undefined, intervalMs: number, hasPending: boolean): ThrottleDecision {
  // A pending sample has its timer set: replace it, so samples never overtake each other.
  if (hasPending) return { kind: 'pending' };
  const slot = Math.floor(nowMs / intervalMs);
  if (lastSentMs === undefined || slot > Math.floor(lastSentMs / intervalMs)) return { kind: 'now' };
  return { kind: 'later', inMs: (slot + 1) * intervalMs - nowMs };
}
