// The terminal's per-printer rate: at most TERMINAL_LINES_PER_SECOND lines a
// second reach a printer, whoever sends them (a fixed one-second window in
// Redis, shared by every manager).
import type { Redis } from 'ioredis';
import type { Clock } from '../clock.js';

export const TERMINAL_LINES_PER_SECOND = 10;

export interface TerminalRate {
  /** Counts one line; false when the printer's budget for this second is spent. */
  take(printerId: string): Promise<boolean>;
}

export function createTerminalRate(redis: Redis, prefix: string, clock: Clock): TerminalRate {
  return {
    async take(printerId) {
      const second = Math.floor(clock.now().getTime() / 1000);
      const key = `${prefix}control:terminal-rate:${printerId}:${second}`;
      const [[, count]] = (await redis.multi().incr(key).expire(key, 2).exec()) as [[Error | null, number], unknown];
      return count <= TERMINAL_LINES_PER_SECOND;
    },
  };
}
