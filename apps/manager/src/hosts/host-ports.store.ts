// Each host agent's latest port report in Redis, with a heartbeat-like expiry:
// a host that stops reporting loses its ports (and shows offline).
import type { Redis } from 'ioredis';
import Value from 'typebox/value';
import { HOST_PORTS_TTL_SECONDS, HostPorts, liveKeys, type LiveEvent } from '@farm/contracts';

function parse(text: string | null | undefined): HostPorts | null {
  if (text === null || text === undefined) return null;
  try {
    const value: unknown = JSON.parse(text);
    // Redis is not trusted: a report that does not match the contract is ignored.
    return Value.Check(HostPorts, value) ? value : null;
  } catch {
    return null;
  }
}

export type HostPortsStore = ReturnType<typeof createHostPortsStore>;

export function createHostPortsStore(redis: Redis, prefix: string) {
  const keys = liveKeys(prefix);
  return {
    /** Stores the report and returns the one it replaced, in one atomic step (two managers may race). */
    async swap(report: HostPorts): Promise<HostPorts | null> {
      const previous = await redis.set(
        keys.hostPorts(report.hostId),
        JSON.stringify(report),
        'EX',
        HOST_PORTS_TTL_SECONDS,
        'GET',
      );
      return parse(previous);
    },

    async read(hostId: string): Promise<HostPorts | null> {
      return parse(await redis.get(keys.hostPorts(hostId)));
    },

    /** One round trip; null where a host has no (valid) report. */
    async readMany(hostIds: readonly string[]): Promise<(HostPorts | null)[]> {
      if (hostIds.length === 0) return [];
      const values = await redis.mget(hostIds.map((id) => keys.hostPorts(id)));
      return hostIds.map((_, i) => parse(values[i]));
    },

    async remove(hostId: string): Promise<void> {
      await redis.del(keys.hostPorts(hostId));
    },

    async publish(events: readonly LiveEvent[]): Promise<void> {
      if (events.length === 0) return;
      const pipeline = redis.pipeline();
      for (const event of events) pipeline.publish(keys.events, JSON.stringify(event));
      await pipeline.exec();
    },
  };
}
