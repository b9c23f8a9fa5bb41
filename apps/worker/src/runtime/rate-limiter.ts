// A per-second budget for the serial log: a busy link (hundreds of lines a
// second) must not flood the events relay. Lines over the budget are counted
// and reported as one "N lines skipped" line when the next window opens.
// Pure: the caller passes the time.

export type LogLimiterState = { readonly windowStart: number; readonly sent: number; readonly skipped: number };

export type LogDecision = {
  readonly state: LogLimiterState;
  /** Lines to publish now: the skip notice (if a window just ended with skips) and/or the line itself. */
  readonly emit: readonly string[];
};

export const initialLogLimiter: LogLimiterState = { windowStart: Number.NEGATIVE_INFINITY, sent: 0, skipped: 0 };

export function skippedNotice(count: number): string {
  return `[${count} line${count === 1 ? '' : 's'} skipped]`;
}

export function limitLog(
  state: LogLimiterState,
  line: string,
  at: number,
  perSecond: number,
  windowMs = 1000,
): LogDecision {
  let current = state;
  const emit: string[] = [];
  if (at - current.windowStart >= windowMs) {
    if (current.skipped > 0) emit.push(skippedNotice(current.skipped));
    current = { windowStart: at, sent: emit.length, skipped: 0 };
  }
  if (current.sent >= perSecond) return { state: { ...current, skipped: current.skipped + 1 }, emit };
  emit.push(line);
  return { state: { ...current, sent: current.sent + 1 }, emit };
}

/** Ends a quiet window: the skip notice for lines dropped in it, if any (call from a timer). */
export function flushLog(state: LogLimiterState, at: number, windowMs = 1000): LogDecision {
  if (state.skipped === 0 || at - state.windowStart < windowMs) return { state, emit: [] };
  return { state: { windowStart: at, sent: 1, skipped: 0 }, emit: [skippedNotice(state.skipped)] };
}
