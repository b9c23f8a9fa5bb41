// TEST DOUBLE of a port worker's Redis side, for the manager's control tests
// only. It is not the worker (apps/worker builds the real one, tested end to
// end elsewhere): it keeps a heartbeat and a live state, consumes the
// printer's control stream, verifies every request with its host's control
// key exactly as a worker must, and answers on the results stream with what
// the test tells it to.
import {
  HEARTBEAT_TTL_SECONDS,
  MemoryNonceStore,
  STREAM_FIELD,
  hostControlKey,
  streamMessage,
  liveKeys,
  verifyControlText,
  type ControlRequest,
  type ControlResult,
  type PrinterStatus,
  type VerifyResult,
  type XReadReply,
} from '@farm/contracts';
import { liveState, writeHeartbeat, writeLiveState } from './farm-fixtures.js';
import type { Harness } from './harness.js';

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
  /** The app under test: its Redis (the worker takes a connection of its own for blocking reads), its host
   * control keys, and its clock, which the signatures' age is checked against. */
  h: Harness;
  printerId: string;
  hostId: string;
  status?: PrinterStatus;
  respond?: Responder;
}

const ok: Responder = (request) => ({ ok: true, output: [`ok ${request.command.kind}`] });

export async function startFakeWorker(options: FakeWorkerOptions): Promise<FakeWorker> {
  const { h, printerId, hostId } = options;
  const { redis } = h;
  const keys = liveKeys(h.config.redisPrefix);
  const hostKey = hostControlKey(h.config.jobSigningSecret, hostId);
  const now = () => h.clock.now().getTime();
  const reader = redis.duplicate();
  reader.on('error', () => undefined);
  const nonces = new MemoryNonceStore();
  const received: ReceivedControl[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let stopped = false;

  async function setStatus(status: PrinterStatus): Promise<void> {
    await writeLiveState(h, printerId, liveState(printerId, { hostId, status, updatedAt: now() }));
    // Outlives a slow test file; tests that need an offline printer delete the key.
    await writeHeartbeat(h, printerId, { hostId, pid: process.pid, at: now() }, HEARTBEAT_TTL_SECONDS * 30);
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
    const verified = verifyControlText(raw, { key: hostKey, now: now(), nonces });
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
    const result: ControlResult = { requestId, printerId, at: now(), outcome };
    await redis.xadd(keys.controlResults(printerId), '*', STREAM_FIELD, JSON.stringify(result));
  }

  async function loop(from: string): Promise<void> {
    let lastId = from;
    while (!stopped) {
      let reply: XReadReply;
      try {
        reply = (await reader.xread('BLOCK', 1000, 'STREAMS', keys.controlStream(printerId), lastId)) as typeof reply;
      } catch {
        return; // disconnected by stop()
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          lastId = id;
          await handle(streamMessage(fields) ?? '');
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
