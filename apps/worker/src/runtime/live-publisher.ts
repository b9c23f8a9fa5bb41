// Everything the worker writes to Redis. Writes are fire-and-forget: the
// connection has no offline queue, so while Redis is away they fail at once
// and are dropped (the next state write carries the latest anyway). Nothing
// here may block or crash the serial side.
import type { Redis } from 'ioredis';
import {
  CONTROL_STREAM_MAXLEN,
  HEARTBEAT_TTL_SECONDS,
  SNAPSHOT_TTL_SECONDS,
  STREAM_FIELD,
  TEMPERATURE_HISTORY_MAXLEN,
  type ControlResult,
  type LiveEvent,
  type LiveKeys,
  type PrinterLiveState,
  type SnapshotMeta,
  type TemperatureSample,
  type WorkerHeartbeat,
} from '@farm/contracts';
import type { Logger } from './logger.js';

type AlarmEvent = Extract<LiveEvent, { type: 'printer.alarm' }>;

export class LivePublisher {
  #failures = 0;
  #lastFailureLog = 0;

  constructor(
    private readonly redis: Redis,
    private readonly keys: LiveKeys,
    private readonly printerId: string,
    private readonly log: Logger,
  ) {}

  /** Writes that failed (Redis away); for diagnosis. */
  get failures(): number {
    return this.#failures;
  }

  state(state: PrinterLiveState): void {
    const event: LiveEvent = { type: 'printer.state', at: state.updatedAt, state };
    this.#run(
      'state',
      this.redis
        .multi()
        .set(this.keys.printerState(this.printerId), JSON.stringify(state))
        .publish(this.keys.events, JSON.stringify(event))
        .exec(),
    );
  }

  heartbeat(beat: WorkerHeartbeat): void {
    this.#run(
      'heartbeat',
      this.redis.set(this.keys.heartbeat(this.printerId), JSON.stringify(beat), 'EX', HEARTBEAT_TTL_SECONDS),
    );
  }

  temperature(sample: TemperatureSample): void {
    const event: LiveEvent = { type: 'printer.temperature', at: sample.at, sample };
    this.#run(
      'temperature',
      this.redis
        .multi()
        .xadd(
          this.keys.temperatureHistory(this.printerId),
          'MAXLEN',
          '~',
          TEMPERATURE_HISTORY_MAXLEN,
          '*',
          STREAM_FIELD,
          JSON.stringify(sample),
        )
        .publish(this.keys.events, JSON.stringify(event))
        .exec(),
    );
  }

  serialLog(direction: 'sent' | 'received', line: string, at: number): void {
    const event: LiveEvent = {
      type: 'printer.log',
      at,
      printerId: this.printerId,
      direction,
      line: line.slice(0, 1024),
    };
    this.#run('log', this.redis.publish(this.keys.printerLog(this.printerId), JSON.stringify(event)));
  }

  alarm(alarm: Omit<AlarmEvent, 'type' | 'printerId'>): void {
    const event: LiveEvent = {
      type: 'printer.alarm',
      printerId: this.printerId,
      ...alarm,
      reason: alarm.reason.slice(0, 64),
    };
    this.#run('alarm', this.redis.publish(this.keys.events, JSON.stringify(event)));
  }

  controlResult(result: ControlResult): void {
    this.#run(
      'control-result',
      this.redis.xadd(
        this.keys.controlResults(this.printerId),
        'MAXLEN',
        '~',
        CONTROL_STREAM_MAXLEN,
        '*',
        STREAM_FIELD,
        JSON.stringify(result),
      ),
    );
  }

  snapshot(bytes: Buffer, meta: SnapshotMeta): Promise<void> {
    const event: LiveEvent = { type: 'printer.snapshot', at: meta.at, meta };
    return this.redis
      .multi()
      .set(this.keys.snapshot(this.printerId), bytes, 'EX', SNAPSHOT_TTL_SECONDS)
      .set(this.keys.snapshotMeta(this.printerId), JSON.stringify(meta), 'EX', SNAPSHOT_TTL_SECONDS)
      .publish(this.keys.events, JSON.stringify(event))
      .exec()
      .then(() => undefined);
  }

  async snapshotWatchers(): Promise<number> {
    const value = await this.redis.get(this.keys.snapshotWatchers(this.printerId));
    const count = Number(value ?? 0);
    return Number.isFinite(count) && count > 0 ? Math.floor(count) : 0;
  }

  /** The last words: state offline, heartbeat gone, `printer.offline` (awaited, unlike the rest). */
  async offline(state: PrinterLiveState): Promise<void> {
    const event: LiveEvent = { type: 'printer.offline', at: state.updatedAt, printerId: this.printerId };
    const stateEvent: LiveEvent = { type: 'printer.state', at: state.updatedAt, state };
    await this.redis
      .multi()
      .set(this.keys.printerState(this.printerId), JSON.stringify(state))
      .del(this.keys.heartbeat(this.printerId))
      .publish(this.keys.events, JSON.stringify(stateEvent))
      .publish(this.keys.events, JSON.stringify(event))
      .exec();
  }

  #run(what: string, work: Promise<unknown>): void {
    work.catch((error: unknown) => {
      this.#failures++;
      const now = Date.now();
      // One line per 10 s at most: a Redis outage should not flood the log either.
      if (now - this.#lastFailureLog > 10_000) {
        this.#lastFailureLog = now;
        this.log.warn('redis write failed', {
          what,
          error: error instanceof Error ? error.message : String(error),
          failures: this.#failures,
        });
      }
    });
  }
}
