// Reads what workers report about their printers from Redis: the live state
// document, and whether the worker's heartbeat is still there. No heartbeat
// means offline, whatever the last state document says.
import type { Redis } from 'ioredis';
import type { TSchema } from 'typebox';
import Value from 'typebox/value';
import { liveKeys, PrinterLiveState, WorkerHeartbeat, type LiveKeys } from '@farm/contracts';

export type LiveView = {
  readonly printerId: string;
  /** True while the worker's heartbeat key exists. */
  readonly online: boolean;
  /** The worker's last state document; status is forced to `offline` without a heartbeat. */
  readonly state: PrinterLiveState | null;
  readonly heartbeat: WorkerHeartbeat | null;
};

export type LiveStateReader = ReturnType<typeof createLiveStateReader>;

function parse<T>(schema: TSchema, text: string | null): T | null {
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    // Redis is not trusted: a document that does not match the contract is ignored.
    return Value.Check(schema, value) ? (value as T) : null;
  } catch {
    return null;
  }
}

export function createLiveStateReader(redis: Redis, prefix: string) {
  const keys: LiveKeys = liveKeys(prefix);
  return {
    keys,
    /** One round trip for any number of printers, in the order given. */
    async read(printerIds: readonly string[]): Promise<LiveView[]> {
      if (printerIds.length === 0) return [];
      const names = printerIds.flatMap((id) => [keys.printerState(id), keys.heartbeat(id)]);
      const values = await redis.mget(names);
      return printerIds.map((printerId, i) => {
        const heartbeat = parse<WorkerHeartbeat>(WorkerHeartbeat, values[2 * i + 1] ?? null);
        const raw = parse<PrinterLiveState>(PrinterLiveState, values[2 * i] ?? null);
        const online = heartbeat !== null;
        const state = raw && !online ? { ...raw, status: 'offline' as const } : raw;
        return { printerId, online, state, heartbeat };
      });
    },
    async readOne(printerId: string): Promise<LiveView> {
      const [view] = await this.read([printerId]);
      return view ?? { printerId, online: false, state: null, heartbeat: null };
    },
  };
}
