// The worker's three Redis connections: writes, the blocking control-stream
// read, and the emergency-stop subscription. None queues commands while Redis
// is away (they fail at once), so the serial side never waits on Redis.
import { Redis } from 'ioredis';
import { errorText, type Logger } from './logger.js';

export type WorkerRedis = { readonly main: Redis; readonly control: Redis; readonly estop: Redis };

function client(url: string, name: string, log: Logger): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectionName: name,
    // Keep trying for ever, at most every 2 s: the worker outlives Redis outages.
    retryStrategy: (times) => Math.min(2_000, 100 * times),
  });
  let lastLog = 0;
  redis.on('error', (error: unknown) => {
    const now = Date.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      log.warn('redis connection error', { connection: name, error: errorText(error) });
    }
  });
  return redis;
}

/** Resolves when the connection is ready, or after `timeoutMs` (the worker starts without Redis if it must). */
export function whenReady(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      resolve(ok);
    };
    const onReady = (): void => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.on('ready', onReady);
  });
}

export async function openWorkerRedis(url: string, log: Logger, readyTimeoutMs = 5_000): Promise<WorkerRedis> {
  const connections = {
    main: client(url, 'port-worker', log),
    control: client(url, 'port-worker-control', log),
    estop: client(url, 'port-worker-estop', log),
  };
  const ready = await Promise.all(Object.values(connections).map((r) => whenReady(r, readyTimeoutMs)));
  if (ready.includes(false)) log.warn('redis is not reachable; running the printer without it until it returns');
  return connections;
}

export async function closeWorkerRedis(redis: WorkerRedis): Promise<void> {
  redis.control.disconnect();
  redis.estop.disconnect();
  await redis.main.quit().catch(() => redis.main.disconnect());
}
