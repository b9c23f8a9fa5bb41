import type { EngineState, HistoryEntry, HistoryLog } from './types.js';

/**
 * Framed lines kept for resends. Numbers are contiguous from the last
 * `M110` (kept as the first entry), so a lookup is an index.
 *
 * The log is a view (`start`..`end`) on an append-only array that successive
 * states share: appending past a view's end never changes what that view
 * sees, so a transition need not copy the history. An array that someone
 * else already appended to (a state used twice) is copied first.
 */
export const EMPTY_HISTORY: HistoryLog = { items: [], start: 0, end: 0 };

export function historyEntry(s: EngineState, n: number): HistoryEntry | undefined {
  const { items, start, end } = s.history;
  const first = items[start];
  if (!first || start >= end) return undefined;
  const index = start + (n - first.n);
  if (index < start || index >= end) return undefined;
  const entry = items[index];
  return entry?.n === n ? entry : undefined;
}

export function historyStart(s: EngineState): number | null {
  const { items, start, end } = s.history;
  return start < end ? (items[start]?.n ?? null) : null;
}

export function historyRestart(entry: HistoryEntry): HistoryLog {
  return { items: [entry], start: 0, end: 1 };
}

export function remember(s: EngineState, entry: HistoryEntry): void {
  let { items, start, end } = s.history;
  if (items.length !== end || Object.isFrozen(items)) {
    items = items.slice(start, end);
    end -= start;
    start = 0;
  }
  items.push(entry);
  end++;
  if (end - start > s.config.historySize) start = end - s.config.historySize;
  if (start > 4 * s.config.historySize) {
    items = items.slice(start, end);
    end -= start;
    start = 0;
  }
  s.history = { items, start, end };
}
