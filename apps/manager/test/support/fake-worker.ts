// TEST DOUBLE of a port worker's Redis side, for the manager's control tests
// only. It is not the worker (apps/worker builds the real one, tested end to
// end elsewhere): it keeps a heartbeat and a live state, consumes the
// printer's control stream, verifies every request with its host's control
// key exactly as a worker must, and answers on the results stream with what
// the test tells it to.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Kysely } from 'kysely';
import type { Database } from '@farm/db';
import {
  HEARTBEAT_TTL_SECONDS,
  MemoryNonceStore,
  STREAM_FIELD,
  liveKeys,
  verifyControlText,
  type ControlKey,
  type ControlRequest,
  type ControlResult,
  type PrinterLiveState,
  type PrinterStatus,
  type VerifyResult,
} from '@farm/contracts';

/** What to answer to a verified request; `null` stays silent (the manager times out). */
export type Responder = (request: ControlRequest) => ControlResult['outcome'] | null;

export interface ReceivedControl {
  raw: string;
  verified: VerifyResult;
}

export interface FakeWorker {
  readonly received: ReceivedControl[];
  respond: Responder;
  setStatus(status: PrinterStatus): Promise<void>;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
  stop(): Promise<void>;
}

export interface FakeWorkerOptions {
  /** The app's connection: the worker takes a connection of its own for blocking reads. */
  redis: Redis;
  prefix: string;
  printerId: string;
  hostId: string;
  hostKey: ControlKey;
  /** The clock the signatures' age is checked against (the manager's test clock). */
  now: () => number;
  status?: PrinterStatus;
  respond?: Responder;
}

/** A host row for the printers a fake worker serves (the hosts API belongs to another area). */
export async function insertHost(h: { db: Kysely<Database> }, name: string): Promise<string> {
  const row = await h.db
    .insertInto('hosts')
    .values({ name, token_prefix: randomBytes(4).toString('hex'), token_hash: randomBytes(32).toString('hex') })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const ok: Responder = (request) => ({ ok: true, output: [`ok ${request.command.kind}`] });

export async function startFakeWorker(options: FakeWorkerOptions): Promise<FakeWorker> {
  const keys = liveKeys(options.prefix);
  const { redis, printerId, hostId } = options;
  const reader = redis.duplicate();
  reader.on('error', () => undefined);
  const nonces = new MemoryNonceStore();
  const received: ReceivedControl[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let stopped = false;

  async function setStatus(status: PrinterStatus): Promise<void> {
    const state: PrinterLiveState = { printerId, hostId, status, updatedAt: options.now(), heaters: [] };
    await redis.set(keys.printerState(printerId), JSON.stringify(state));
    // Outlives a slow test file; tests that need an offline printer delete the key.
    await redis.set(
      keys.heartbeat(printerId),
      JSON.stringify({ printerId, hostId, pid: process.pid, at: options.now() }),
      'EX',
      HEARTBEAT_TTL_SECONDS * 30,
    );
  }

  const worker: FakeWorker = {
    received,
    respond: options.respond ?? ok,
    setStatus,
    waitFor(count) {
      if (received.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async stop() {
      stopped = true;
      reader.disconnect();
      await redis.del(keys.heartbeat(printerId), keys.printerState(printerId));
    },
  };

  async function handle(raw: string): Promise<void> {
    const verified = verifyControlText(raw, { key: options.hostKey, now: options.now(), nonces });
    received.push({ raw, verified });
    for (const w of waiters.filter((w) => received.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    let requestId = 'unknown-request';
    try {
      requestId = String((JSON.parse(raw) as { id?: unknown }).id ?? requestId);
    } catch {
      // keep the placeholder
    }
    const outcome: ControlResult['outcome'] | null = verified.ok
      ? worker.respond(verified.request)
      : { ok: false, code: verified.code, message: 'rejected by the fake worker' };
    if (outcome === null) return;
    const result: ControlResult = { requestId, printerId, at: options.now(), outcome };
    await redis.xadd(keys.controlResults(printerId), '*', STREAM_FIELD, JSON.stringify(result));
  }

  async function loop(from: string): Promise<void> {
    let lastId = from;
    while (!stopped) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        reply = (await reader.xread('BLOCK', 1000, 'STREAMS', keys.controlStream(printerId), lastId)) as typeof reply;
      } catch {
        return; // disconnected by stop()
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          const at = fields.indexOf(STREAM_FIELD);
          await handle(at >= 0 ? (fields[at + 1] ?? '') : '');
        }
      }
    }
  }

  await setStatus(options.status ?? 'idle');
  // Read on from the newest entry now, so nothing sent after start is missed.
  const newest = (await redis.xrevrange(keys.controlStream(printerId), '+', '-', 'COUNT', 1)) as [string, string[]][];
  void loop(newest[0]?.[0] ?? '0-0');
  return worker;
}
