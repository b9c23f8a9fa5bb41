// Runs the machine's redis-server with the exact command docker-compose.yml
// gives the Redis container (secrets filled in as compose would from .env), and
// checks who can do what: nobody without the password, the farm user
// everything BullMQ needs but no dangerous command.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findFreePort } from '../../scripts/launcher/free-port.js';
import { generateComposeSecrets, type ComposeSecrets } from '../../scripts/secrets/compose-secrets.js';
import { readCompose } from './compose-file.js';
import { rawExchange } from './resp.js';

const secrets: ComposeSecrets = generateComposeSecrets(randomBytes);
let port = 0;
let dir = '';
let server: ChildProcess | undefined;
const clients: Redis[] = [];

function interpolate(value: string): string {
  return value.replace(/\$\{([A-Z0-9_]+)[^}]*\}/g, (_, name: string) => secrets[name as keyof ComposeSecrets]);
}

function connect(options: { username?: string; password?: string }): Redis {
  const client = new Redis({
    host: '127.0.0.1',
    port,
    lazyConnect: true,
    enableReadyCheck: false, // the ready check runs INFO, which an anonymous client may not
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    ...options,
  });
  client.on('error', () => undefined);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  const [program, ...args] = (readCompose().services.redis?.command ?? []).map(interpolate);
  expect(program).toBe('redis-server');
  port = await findFreePort();
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-compose-redis-'));
  // The container's own settings, then what differs on this machine: a free
  // loopback port and a scratch folder instead of the volume.
  server = spawn('redis-server', [...args, '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''], {
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    const probe = connect({ username: 'farm', password: secrets.REDIS_PASSWORD });
    try {
      await probe.connect();
      break;
    } catch (err) {
      if (i > 100) throw err;
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
});

afterAll(async () => {
  for (const client of clients) client.disconnect();
  server?.kill('SIGTERM');
  if (dir) await fs.rm(dir, { recursive: true, force: true });
});

describe('Redis as docker-compose.yml configures it', () => {
  it('refuses every command without a login, and logging in as the disabled default user', async () => {
    const [ping] = await rawExchange(port, [['PING']]);
    expect(ping).toMatch(/^-NOAUTH/);
    const [auth] = await rawExchange(port, [['AUTH', secrets.REDIS_PASSWORD]]);
    expect(auth).toMatch(/^-WRONGPASS/);
  });

  it('refuses the farm user with a wrong password', async () => {
    const [auth, ping] = await rawExchange(port, [['AUTH', 'farm', 'changeme'], ['PING']]);
    expect(auth).toMatch(/^-WRONGPASS/);
    expect(ping).toMatch(/^-NOAUTH/);
  });

  it('lets the farm user run what the manager and BullMQ use', async () => {
    const farm = connect({ username: 'farm', password: secrets.REDIS_PASSWORD });
    await farm.connect();
    expect(await farm.ping()).toBe('PONG');
    expect(await farm.info('server')).toContain('redis_version');
    expect(await farm.client('LIST')).toContain('user=farm');
    await farm.set('farm:probe', '1');
    expect(await farm.eval("return redis.call('GET', KEYS[1])", 1, 'farm:probe')).toBe('1');
  });

  it.each([
    ['FLUSHALL', []],
    ['KEYS', ['*']],
    ['CONFIG', ['GET', 'requirepass']],
    ['DEBUG', ['SLEEP', '0']],
    ['SHUTDOWN', []],
    ['ACL', ['LIST']],
  ] as const)('denies the farm user %s', async (command, args) => {
    const farm = connect({ username: 'farm', password: secrets.REDIS_PASSWORD });
    await farm.connect();
    // DEBUG is also switched off in Redis itself; either refusal will do.
    await expect(farm.call(command, ...args)).rejects.toThrow(/NOPERM|not allowed/);
  });

  it('answers the compose healthcheck (redis-cli with REDISCLI_AUTH)', async () => {
    const { stdout } = await promisify(execFile)(
      'redis-cli',
      ['-p', String(port), '--no-auth-warning', '--user', 'farm', 'ping'],
      {
        env: { ...process.env, REDISCLI_AUTH: secrets.REDIS_PASSWORD },
      },
    );
    expect(stdout.trim()).toBe('PONG');
  });
});
