// The emergency-stop channel: its own subscriber connection, so a stop is
// never queued behind control requests or anything else. A verified stop for
// this printer (or for all) is acted on at once, before anything is written
// to Redis.
import type { Redis } from 'ioredis';
import {
  ALL_PRINTERS,
  verifyControlText,
  type ControlKey,
  type ControlRequest,
  type NonceStore,
} from '@farm/contracts';
import { errorText, type Logger } from './logger.js';

export type EstopListenerOptions = {
  readonly redis: Redis;
  readonly channel: string;
  readonly printerId: string;
  readonly key: ControlKey;
  readonly nonces: NonceStore;
  readonly log: Logger;
  readonly stop: (request: ControlRequest) => void;
};

export class EstopListener {
  constructor(private readonly options: EstopListenerOptions) {}

  /** Resolves once subscribed (or gives up quietly: the subscription is renewed when Redis returns). */
  async start(): Promise<void> {
    const { redis, channel } = this.options;
    redis.on('message', (from: string, message: string) => {
      if (from === channel) this.#message(message);
    });
    // ioredis renews subscriptions it made after a reconnect; one that failed (Redis away at start) is retried here.
    redis.on('ready', () => {
      if (!this.#subscribed) void this.#subscribe();
    });
    await this.#subscribe();
  }

  #subscribed = false;

  async #subscribe(): Promise<void> {
    try {
      await this.options.redis.subscribe(this.options.channel);
      this.#subscribed = true;
    } catch (error) {
      this.options.log.warn('emergency-stop channel not reachable yet', { error: errorText(error) });
    }
  }

  stop(): void {
    this.options.redis.disconnect();
  }

  #message(message: string): void {
    try {
      const verdict = verifyControlText(message, {
        key: this.options.key,
        now: Date.now(),
        nonces: this.options.nonces,
      });
      if (!verdict.ok) {
        this.options.log.warn('emergency stop refused', { code: verdict.code });
        return;
      }
      const request = verdict.request;
      if (request.command.kind !== 'emergency-stop') return;
      if (request.printerId !== this.options.printerId && request.printerId !== ALL_PRINTERS) return;
      this.options.stop(request);
    } catch (error) {
      this.options.log.error('emergency-stop message crashed its check', { error: errorText(error) });
    }
  }
}
