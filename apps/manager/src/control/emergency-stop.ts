// The emergency stop's own path: one PUBLISH per message on the channel every
// worker subscribes to, never queued behind control streams or jobs.
import type { Redis } from 'ioredis';
import type { SignedControl } from '@farm/contracts';

/** Publishes all messages at once; answers how many subscribers received them in total. */
export async function publishEmergencyStops(
  redis: Redis,
  channel: string,
  messages: readonly SignedControl[],
): Promise<number> {
  const counts = await Promise.all(messages.map((m) => redis.publish(channel, JSON.stringify(m))));
  return counts.reduce((sum, n) => sum + n, 0);
}
