// The key contract against a real Redis: expiry, bounded history, a signed
// control request through a stream, and the emergency-stop channel.
import { Redis } from 'ioredis';
import Value from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv } from '../../../../test/support/test-env.js';
import { controlKey, MemoryNonceStore, newNonce, signControl, verifyControlText } from './control-signing.js';
import { TemperatureSample } from './printer-live.js';
import { HEARTBEAT_TTL_SECONDS, liveKeys, STREAM_FIELD, TEMPERATURE_HISTORY_MAXLEN, type LiveKeys } from './redis-keys.js';

let redis: Redis;
let keys: LiveKeys;
let prefix: string;
const key = controlKey('Pk9Lm2Nb7Vc4Xz1Qw8Er5Ty3Ui6Op0As2Df');

beforeAll(async () => {
  const env = await createTestEnv();
  prefix = env.redisPrefix;
  redis = new Redis(env.redisUrl);
  keys = liveKeys(prefix);
});

afterAll(async () => {
  const leftovers = await redis.keys(`${prefix}*`);
  if (leftovers.length > 0) await redis.del(...leftovers);
  await redis.quit();
});

describe('live keys in Redis', () => {
  it('lets the heartbeat expire within its TTL', async () => {
    await redis.set(keys.heartbeat('p1'), JSON.stringify({ printerId: 'p1', hostId: 'h1', pid: 123, at: 1 }), 'EX', HEARTBEAT_TTL_SECONDS);
    const ttl = await redis.ttl(keys.heartbeat('p1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(HEARTBEAT_TTL_SECONDS);
  });

  it('keeps the temperature history bounded near two hours of samples', async () => {
    const stream = keys.temperatureHistory('p1');
    const pipeline = redis.pipeline();
    for (let i = 0; i < TEMPERATURE_HISTORY_MAXLEN + 1000; i++) {
      const sample: TemperatureSample = { printerId: 'p1', at: i * 1000, heaters: [{ heater: 'T0', actualC: 200, targetC: 200 }] };
      pipeline.xadd(stream, 'MAXLEN', '~', TEMPERATURE_HISTORY_MAXLEN, '*', STREAM_FIELD, JSON.stringify(sample));
    }
    await pipeline.exec();
    const length = await redis.xlen(stream);
    expect(length).toBeGreaterThanOrEqual(TEMPERATURE_HISTORY_MAXLEN);
    expect(length).toBeLessThan(TEMPERATURE_HISTORY_MAXLEN + 1000);
    const [[, fields] = ['', []]] = await redis.xrevrange(stream, '+', '-', 'COUNT', 1);
    expect(Value.Check(TemperatureSample, JSON.parse(fields[1] ?? 'null'))).toBe(true);
  });

  it('carries a signed control request through the printer control stream', async () => {
    const signed = signControl(
      { v: 1, id: 'req_abcdefgh', printerId: 'p1', issuedAt: Date.now(), nonce: newNonce(), issuedBy: { userId: 'u1', role: 'operator' }, command: { kind: 'home', axes: [] } },
      key,
    );
    await redis.xadd(keys.controlStream('p1'), 'MAXLEN', '~', 1000, '*', STREAM_FIELD, JSON.stringify(signed));
    const [entry] = await redis.xrange(keys.controlStream('p1'), '-', '+');
    const text = entry?.[1][1] ?? '';
    const result = verifyControlText(text, { key, now: Date.now(), nonces: new MemoryNonceStore() });
    expect(result.ok && result.request.command).toEqual({ kind: 'home', axes: [] });
  });

  it('delivers an emergency stop on its own channel', async () => {
    const subscriber = redis.duplicate();
    const received = new Promise<string>((resolve) => subscriber.on('message', (_channel: string, message: string) => resolve(message)));
    await subscriber.subscribe(keys.emergencyStop);
    const stop = signControl(
      { v: 1, id: 'req_estop001', printerId: '*', issuedAt: Date.now(), nonce: newNonce(), issuedBy: { userId: 'u1', role: 'operator' }, command: { kind: 'emergency-stop' } },
      key,
    );
    await redis.publish(keys.emergencyStop, JSON.stringify(stop));
    const message = await received;
    await subscriber.quit();
    expect(verifyControlText(message, { key, now: Date.now(), nonces: new MemoryNonceStore() }).ok).toBe(true);
  });
});
