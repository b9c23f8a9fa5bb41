// Helpers for the port worker's integration tests: a spec for a virtual
// printer, signed controls over the real Redis streams, and a recorder of
// what the worker publishes.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  controlKeyToHex,
  liveKeys,
  newNonce,
  PRINTER_PRESETS,
  signControl,
  STREAM_FIELD,
  type ControlCommand,
  type ControlKey,
  type ControlResult,
  type LiveEvent,
  type LiveKeys,
  type PortWorkerSpec,
  type PrinterProfile,
} from '@farm/contracts';
import { parseWorkerConfig } from '../config/worker-config.js';
import { createLogger } from '../logger.js';
import { PortRuntime, type RuntimeTuning } from '../port-runtime.js';

export const HOST_ID = 'host-test';

export function randomControlKey(): ControlKey {
  return { bytes: randomBytes(32) };
}

/** The Ender-3 preset (hotend ≤ 260 °C, bed ≤ 100 °C), for a virtual Marlin printer. */
export function testProfile(overrides: Partial<PrinterProfile> = {}): PrinterProfile {
  const preset = PRINTER_PRESETS.find((p) => p.id === 'creality-ender-3');
  if (!preset) throw new Error('the Ender-3 preset is missing');
  return { ...preset.profile, baudRate: 250000, ...overrides };
}

export function testSpec(printerId: string, port: string, overrides: Partial<PortWorkerSpec> = {}): PortWorkerSpec {
  return { printerId, name: printerId, port, profile: testProfile(), cameraAllowedSubnets: [], ...overrides };
}

export function workerEnv(redisUrl: string, redisPrefix: string, key: ControlKey): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: redisPrefix,
    FARM_HOST_ID: HOST_ID,
    FARM_CONTROL_KEY: controlKeyToHex(key),
    LOG_LEVEL: 'warn',
  };
}

/** Fast timers for in-process runs: short boot wait, quick retries, frequent state writes. */
export const FAST: RuntimeTuning = {
  heartbeatMs: 500,
  stateIntervalMs: 100,
  retry: { minMs: 200, maxMs: 1000 },
  link: { bootWaitMs: 200 },
};

export type LogLines = string[];

export async function startRuntime(
  spec: PortWorkerSpec,
  redisUrl: string,
  redisPrefix: string,
  key: ControlKey,
  tuning: RuntimeTuning = FAST,
): Promise<{ runtime: PortRuntime; logs: LogLines }> {
  const logs: LogLines = [];
  const config = parseWorkerConfig([JSON.stringify(spec)], workerEnv(redisUrl, redisPrefix, key));
  const log = createLogger('debug', { printerId: spec.printerId }, (line) => logs.push(line));
  return { runtime: await PortRuntime.start({ config, log, tuning }), logs };
}

export async function until<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Watches what a worker publishes and writes, and sends it signed controls. */
export class LiveProbe {
  readonly keys: LiveKeys;
  readonly events: LiveEvent[] = [];
  readonly logLines: Extract<LiveEvent, { type: 'printer.log' }>[] = [];
  readonly redis: Redis;
  readonly #subscriber: Redis;

  private constructor(
    redisUrl: string,
    prefix: string,
    readonly printerId: string,
    readonly key: ControlKey,
  ) {
    this.keys = liveKeys(prefix);
    this.redis = new Redis(redisUrl);
    this.#subscriber = new Redis(redisUrl);
  }

  static async start(redisUrl: string, prefix: string, printerId: string, key: ControlKey): Promise<LiveProbe> {
    const probe = new LiveProbe(redisUrl, prefix, printerId, key);
    probe.#subscriber.on('message', (_channel: string, message: string) => {
      const event = JSON.parse(message) as LiveEvent;
      if (event.type === 'printer.log') probe.logLines.push(event);
      else probe.events.push(event);
    });
    await probe.#subscriber.subscribe(probe.keys.events, probe.keys.printerLog(printerId));
    return probe;
  }

  async close(): Promise<void> {
    await this.#subscriber.quit();
    await this.redis.quit();
  }

  async state(): Promise<{ status: string; [key: string]: unknown } | undefined> {
    const text = await this.redis.get(this.keys.printerState(this.printerId));
    return text ? (JSON.parse(text) as { status: string }) : undefined;
  }

  waitStatus(status: string, timeoutMs?: number): Promise<{ status: string; [key: string]: unknown }> {
    return until(
      `status ${status}`,
      async () => {
        const state = await this.state();
        return state?.status === status ? state : undefined;
      },
      timeoutMs,
    );
  }

  /** Signs and queues a control; returns its request id. */
  async send(
    command: ControlCommand,
    options: { key?: ControlKey; issuedAt?: number; role?: string; raw?: (signed: object) => object } = {},
  ): Promise<string> {
    const id = `req_${randomBytes(6).toString('hex')}`;
    const signed = signControl(
      {
        v: 1,
        id,
        printerId: this.printerId,
        issuedAt: options.issuedAt ?? Date.now(),
        nonce: newNonce(),
        issuedBy: { userId: 'u1', role: options.role ?? 'operator' },
        command,
      },
      options.key ?? this.key,
    );
    await this.sendRaw(JSON.stringify(options.raw ? options.raw(signed) : signed));
    return id;
  }

  async sendRaw(text: string): Promise<void> {
    await this.redis.xadd(this.keys.controlStream(this.printerId), '*', STREAM_FIELD, text);
  }

  async results(): Promise<ControlResult[]> {
    const entries = await this.redis.xrange(this.keys.controlResults(this.printerId), '-', '+');
    return entries.map(([, fields]) => JSON.parse(fields[1] ?? 'null') as ControlResult);
  }

  result(requestId: string, timeoutMs = 20_000): Promise<ControlResult> {
    return until(
      `result of ${requestId}`,
      async () => (await this.results()).find((r) => r.requestId === requestId),
      timeoutMs,
    );
  }

  async control(command: ControlCommand, options: { role?: string } = {}): Promise<ControlResult['outcome']> {
    return (await this.result(await this.send(command, options))).outcome;
  }

  async emergencyStop(printerId: string = this.printerId): Promise<string> {
    const id = `req_${randomBytes(6).toString('hex')}`;
    const signed = signControl(
      {
        v: 1,
        id,
        printerId,
        issuedAt: Date.now(),
        nonce: newNonce(),
        issuedBy: { userId: 'u1', role: 'operator' },
        command: { kind: 'emergency-stop' },
      },
      this.key,
    );
    await this.redis.publish(this.keys.emergencyStop, JSON.stringify(signed));
    return id;
  }
}
