// Reading the live farm's Redis streams. Every entry carries one JSON value
// under STREAM_FIELD; Redis is shared, so an entry may hold anything and the
// readers must not trust its shape.
import { STREAM_FIELD } from './redis-keys.js';

/** One entry as ioredis returns it: id, then field names and values alternating. */
export type StreamEntry = [id: string, fields: string[]];
/** An XREAD reply: per stream key, its entries; null when BLOCK timed out. */
export type XReadReply = [key: string, entries: StreamEntry[]][] | null;

// Writers put one field; a reader looks no further than this many pairs, so a
// stuffed entry costs nothing.
const MAX_FIELD_PAIRS = 8;

/** The entry's message: the value of its STREAM_FIELD field (a field name, never a value that happens to match). */
export function streamMessage(fields: readonly string[]): string | undefined {
  for (let i = 0; i + 1 < fields.length && i < MAX_FIELD_PAIRS * 2; i += 2) {
    if (fields[i] === STREAM_FIELD) return fields[i + 1];
  }
  return undefined;
}

/** The entry's message parsed as JSON; undefined when there is none or it is not JSON. */
export function streamJson(fields: readonly string[]): unknown {
  const text = streamMessage(fields);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
