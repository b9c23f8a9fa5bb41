// Sends a signed control request on a printer's control stream and waits for
// the worker's result. The results stream is read from the last entry that
// existed before sending, so an answer that comes back at once is not missed;
// several managers may read the same stream, so only our request id counts.
import type { Redis } from 'ioredis';
import Value from 'typebox/value';
import { CONTROL_STREAM_MAXLEN, ControlResult, STREAM_FIELD, streamJson, type LiveKeys, type SignedControl, type StreamEntry, type XReadReply } from '@farm/contracts';
import type { BlockingConnections } from './blocking-connections.js';

export type ControlAnswer = { kind: 'answered'; result: ControlResult } | { kind: 'timeout'; waitedMs: number };

export interface ControlClient {
  send(request: SignedControl, timeoutMs: number): Promise<ControlAnswer>;
}

/** The result in a stream entry, if it is a well-formed answer to this request. */
export function resultFor(fields: readonly string[], requestId: string, printerId: string): ControlResult | null {
  const value = streamJson(fields);
  // Redis is not trusted: anything off-contract is ignored.
  return Value.Check(ControlResult, value) && value.requestId === requestId && value.printerId === printerId ? value : null;
}

export function createControlClient(deps: {
  redis: Redis;
  keys: LiveKeys;
  blocking: BlockingConnections;
}): ControlClient {
  const { redis, keys, blocking } = deps;
  return {
    async send(request, timeoutMs) {
      const resultsKey = keys.controlResults(request.printerId);
      const newest = (await redis.xrevrange(resultsKey, '+', '-', 'COUNT', 1)) as StreamEntry[];
      let lastId = newest[0]?.[0] ?? '0-0';
      await redis.xadd(
        keys.controlStream(request.printerId),
        'MAXLEN',
        '~',
        CONTROL_STREAM_MAXLEN,
        '*',
        STREAM_FIELD,
        JSON.stringify(request),
      );
      const started = Date.now();
      const deadline = started + timeoutMs;
      return blocking.with(async (connection) => {
        for (;;) {
          const remaining = deadline - Date.now();
          if (remaining <= 0) return { kind: 'timeout', waitedMs: Date.now() - started };
          // BLOCK 0 would wait forever: always at least 1 ms.
          const reply = (await connection.xread(
            'COUNT',
            100,
            'BLOCK',
            Math.max(1, remaining),
            'STREAMS',
            resultsKey,
            lastId,
          )) as XReadReply;
          for (const [, entries] of reply ?? []) {
            for (const [id, fields] of entries) {
              lastId = id;
              const result = resultFor(fields, request.id, request.printerId);
              if (result) return { kind: 'answered', result };
            }
          }
        }
      });
    },
  };
}
