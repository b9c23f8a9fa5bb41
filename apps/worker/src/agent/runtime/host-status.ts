// The agent's workers as the dashboard and the restart metric see them:
// `liveKeys(prefix).hostStatus(hostId)`, refreshed every few seconds with an
// expiry, so a dead agent's status disappears on its own.
import type { Redis } from 'ioredis';
import { HOST_PORTS_TTL_SECONDS, liveKeys, type HostStatus } from '@farm/contracts';

export type SupervisedWorker = { readonly printerId: string; readonly state: 'running' | 'backoff' | 'stopping'; readonly pid: number | undefined };

export function hostStatus(hostId: string, at: number, workers: readonly SupervisedWorker[], restarts: ReadonlyMap<string, number>): HostStatus {
  return {
    hostId,
    at,
    workers: workers.map((w) => ({
      printerId: w.printerId,
      state: w.state,
      ...(w.pid === undefined ? {} : { pid: w.pid }),
      restarts: restarts.get(w.printerId) ?? 0,
    })),
  };
}

export class HostStatusWriter {
  readonly #keys;
  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.#keys = liveKeys(prefix);
  }

  async write(status: HostStatus): Promise<void> {
    await this.redis.set(this.#keys.hostStatus(status.hostId), JSON.stringify(status), 'EX', HOST_PORTS_TTL_SECONDS);
  }

  async clear(hostId: string): Promise<void> {
    await this.redis.del(this.#keys.hostStatus(hostId));
  }
}
