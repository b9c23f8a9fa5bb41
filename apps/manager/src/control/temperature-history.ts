// Reads a printer's temperature history stream, oldest first, one page at a time.
import type { Redis } from 'ioredis';
import Value from 'typebox/value';
import { streamJson, TemperatureSample, type LiveKeys, type StreamEntry } from '@farm/contracts';

export interface TemperaturePage {
  samples: TemperatureSample[];
  /** Pass as `since` for the next page; null when this page reached the newest entry. */
  nextSince: number | null;
}

function sampleOf(fields: readonly string[], printerId: string): TemperatureSample | null {
  const value = streamJson(fields);
  // Redis is not trusted: entries that do not match the contract are skipped.
  return Value.Check(TemperatureSample, value) && value.printerId === printerId ? value : null;
}

/** The stream id's millisecond part (ids are `<ms>-<seq>`). */
const msOf = (id: string): number => Number(id.slice(0, id.indexOf('-')));

/**
 * With `since` (ms, inclusive): up to `limit` entries from then on. Without:
 * the newest `limit` entries. Pages are counted in entries, so a page with
 * malformed entries holds fewer samples but paging still moves on.
 */
export async function readTemperatureHistory(
  redis: Redis,
  keys: LiveKeys,
  printerId: string,
  query: { since?: number | undefined; limit: number },
): Promise<TemperaturePage> {
  const key = keys.temperatureHistory(printerId);
  let entries: StreamEntry[];
  if (query.since === undefined) {
    entries = ((await redis.xrevrange(key, '+', '-', 'COUNT', query.limit)) as StreamEntry[]).reverse();
  } else {
    entries = (await redis.xrange(key, String(query.since), '+', 'COUNT', query.limit)) as StreamEntry[];
  }
  let nextSince: number | null = null;
  const last = entries.at(-1);
  if (query.since !== undefined && entries.length === query.limit && last !== undefined) {
    // A page never ends inside a millisecond: the next page starts at the last entry's
    // millisecond, so entries sharing it are not skipped (unless the whole page shares it).
    const lastMs = msOf(last[0]);
    const whole = entries.filter(([id]) => msOf(id) < lastMs);
    if (whole.length > 0) {
      entries = whole;
      nextSince = lastMs;
    } else {
      nextSince = lastMs + 1;
    }
  }
  const samples = entries.flatMap(([, fields]) => sampleOf(fields, printerId) ?? []);
  return { samples, nextSince };
}
