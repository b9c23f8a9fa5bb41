// Reads the printer's control stream on its own connection (XREAD BLOCK
// holds it), verifies each entry and hands verified requests on. Refusals
// (malformed, bad signature, stale, replay, another printer) are answered
// here. A bad entry or a Redis outage never ends the loop.
import type { Redis } from 'ioredis';
import {
  ALL_PRINTERS,
  streamMessage,
  verifyControlText,
  type ControlKey,
  type ControlRequest,
  type ControlResult,
  type NonceStore,
  type XReadReply,
} from '@farm/contracts';
import { errorText, type Logger } from './logger.js';

export type ControlReaderOptions = {
  readonly redis: Redis;
  readonly stream: string;
  readonly printerId: string;
  readonly key: ControlKey;
  readonly nonces: NonceStore;
  readonly log: Logger;
  readonly handle: (request: ControlRequest) => void;
  readonly answer: (result: ControlResult) => void;
  readonly blockMs?: number;
};

/** The request id of an unverifiable entry, when it has a plausible one (so the sender learns why). */
function requestIdOf(text: string): string {
  try {
    const id = (JSON.parse(text) as { id?: unknown }).id;
    if (typeof id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(id)) return id;
  } catch {
    // not JSON: no id to answer to
  }
  return 'unknown';
}

export class ControlReader {
  #running = false;
  #lastId = '$';
  #loop: Promise<void> | undefined;

  constructor(private readonly options: ControlReaderOptions) {}

  /** Resolves once the reader knows where the stream ends: entries added after this are read. */
  async start(): Promise<void> {
    this.#running = true;
    try {
      const [last] = await this.options.redis.xrevrange(this.options.stream, '+', '-', 'COUNT', 1);
      this.#lastId = last?.[0] ?? '0-0';
    } catch (error) {
      this.options.log.warn('control stream not reachable yet', { error: errorText(error) });
    }
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#running = false;
    this.options.redis.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      try {
        const reply: XReadReply = await this.options.redis.xread(
          'COUNT',
          50,
          'BLOCK',
          this.options.blockMs ?? 5_000,
          'STREAMS',
          this.options.stream,
          this.#lastId,
        );
        for (const [, entries] of reply ?? []) {
          for (const [id, fields] of entries) {
            this.#lastId = id;
            this.#entry(fields);
          }
        }
      } catch (error) {
        if (!this.#running) return;
        this.options.log.debug('control stream read failed', { error: errorText(error) });
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  #entry(fields: string[]): void {
    const text = streamMessage(fields);
    const answer = (
      requestId: string,
      code: 'malformed' | 'bad-signature' | 'stale' | 'replayed',
      message: string,
    ): void =>
      this.options.answer({
        requestId,
        printerId: this.options.printerId,
        at: Date.now(),
        outcome: { ok: false, code, message },
      });
    if (text === undefined) {
      answer('unknown', 'malformed', 'the entry has no message');
      return;
    }
    try {
      const verdict = verifyControlText(text, { key: this.options.key, now: Date.now(), nonces: this.options.nonces });
      if (!verdict.ok) {
        this.options.log.warn('control request refused', { code: verdict.code });
        answer(requestIdOf(text), verdict.code, `refused: ${verdict.code}`);
        return;
      }
      const request = verdict.request;
      const forAll = request.printerId === ALL_PRINTERS && request.command.kind === 'emergency-stop';
      if (request.printerId !== this.options.printerId && !forAll) {
        answer(verdict.request.id, 'malformed', 'the request is for another printer');
        return;
      }
      this.options.handle(verdict.request);
    } catch (error) {
      this.options.log.error('control entry crashed its check', { error: errorText(error) });
      answer(requestIdOf(text), 'malformed', 'the request could not be read');
    }
  }
}
