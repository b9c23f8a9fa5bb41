// The host agent in `npm start`: its environment, where it finds the manager,
// the local host token (generated once, reused), and the line printed for it.
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { describeAgent } from '../../scripts/launcher/agent-summary.js';
import { appEnv, appProcesses } from '../../scripts/launcher/apps.js';
import type { ResolvedServices } from '../../scripts/launcher/child-env.js';
import {
  isHostToken,
  localHostTokenFile,
  newHostToken,
  readOrCreateLocalHostToken,
} from '../../scripts/launcher/host-token.js';
import { managerPort, managerUrl } from '../../scripts/launcher/manager-url.js';

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-agent-launch-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

const services: ResolvedServices = {
  databaseUrl: 'postgres://postgres:pgsecret@127.0.0.1:5555/farm',
  redisUrl: 'redis://default:redissecret@127.0.0.1:6666/',
  dataDir: '/srv/farm/data',
  managerUrl: 'http://127.0.0.1:3000',
  hostToken: `fh_0123abcd_${'B'.repeat(43)}`,
};
const caller = {
  PATH: '/usr/bin',
  HOME: '/home/farm',
  LOG_LEVEL: 'debug',
  REDIS_PREFIX: 'demo:',
  AGENT_VIRTUAL_PRINTERS: 'prusa,ender',
  AGENT_PORTS_FILE: '/etc/farm/ports.json',
  SESSION_SECRET: 's'.repeat(64),
  JOB_SIGNING_SECRET: 'j'.repeat(64),
  DATA_ENCRYPTION_KEY: 'k'.repeat(64),
  METRICS_TOKEN: 'm'.repeat(40),
  DATABASE_URL: 'postgres://elsewhere/farm',
  PUBLIC_URL: 'https://farm.example.org',
};

function appNamed(name: string) {
  const app = appProcesses.find((a) => a.name === name);
  if (!app) throw new Error(`no app ${name}`);
  return app;
}

describe('the host agent in the launch plan', () => {
  it('starts after the manager, so it stops before it', () => {
    expect(appProcesses.map((a) => a.name)).toEqual(['manager', 'agent']);
  });

  it("gets the manager's address, this machine's host token, Redis and the data folder", () => {
    const env = appEnv(appNamed('agent'), caller, services);
    expect(env).toMatchObject({
      MANAGER_URL: 'http://127.0.0.1:3000',
      HOST_TOKEN: services.hostToken,
      REDIS_URL: services.redisUrl,
      DATA_DIR: '/srv/farm/data',
    });
  });

  it('passes through its log level, Redis prefix and AGENT_* options', () => {
    const env = appEnv(appNamed('agent'), caller, services);
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      HOME: '/home/farm',
      LOG_LEVEL: 'debug',
      REDIS_PREFIX: 'demo:',
      AGENT_VIRTUAL_PRINTERS: 'prusa,ender',
      AGENT_PORTS_FILE: '/etc/farm/ports.json',
    });
  });

  it("never sees the database, the manager's secrets or the metrics token", () => {
    const env = appEnv(appNamed('agent'), caller, services);
    for (const name of [
      'DATABASE_URL',
      'SESSION_SECRET',
      'JOB_SIGNING_SECRET',
      'DATA_ENCRYPTION_KEY',
      'METRICS_TOKEN',
      'LOCAL_HOST_TOKEN',
    ]) {
      expect(env, name).not.toHaveProperty(name);
    }
    expect(JSON.stringify(env)).not.toContain('pgsecret');
  });

  it('gives the manager the same token as LOCAL_HOST_TOKEN, with the launcher-chosen services', () => {
    const env = appEnv(appNamed('manager'), caller, services);
    expect(env).toMatchObject({
      LOCAL_HOST_TOKEN: services.hostToken,
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      SESSION_SECRET: caller.SESSION_SECRET,
    });
  });
});

describe('where the local agent reaches the manager', () => {
  it('is the listen address and port, 127.0.0.1:3000 by default', () => {
    expect(managerUrl({}, managerPort({}))).toBe('http://127.0.0.1:3000');
    expect(managerUrl({ HOST: '127.0.0.1', PORT: '8080' }, managerPort({ PORT: '8080' }))).toBe(
      'http://127.0.0.1:8080',
    );
  });

  it('goes through loopback when the manager listens on every address', () => {
    expect(managerUrl({ HOST: '0.0.0.0' }, 3000)).toBe('http://127.0.0.1:3000');
    expect(managerUrl({ HOST: '::' }, 3000)).toBe('http://[::1]:3000');
  });

  it('brackets an IPv6 listen address and keeps a host name', () => {
    expect(managerUrl({ HOST: '::1' }, 3000)).toBe('http://[::1]:3000');
    expect(managerUrl({ HOST: 'farm.lan' }, 3000)).toBe('http://farm.lan:3000');
  });

  it('ignores PUBLIC_URL, which may be a reverse proxy', () => {
    expect(managerUrl({ PUBLIC_URL: 'https://farm.example.org' }, 3000)).toBe('http://127.0.0.1:3000');
  });

  it('reads PORT=0 as "pick a free port" and leaves a bad PORT to the manager to report', () => {
    expect(managerPort({ PORT: '0' })).toBe(0);
    expect(managerPort({ PORT: 'http' })).toBe(3000);
    expect(managerPort({ PORT: '' })).toBe(3000);
  });
});

describe('the local host token', () => {
  it('has the shape of a host token the manager accepts', () => {
    const token = newHostToken();
    expect(token).toMatch(new RegExp(HOST_TOKEN_PATTERN));
    expect(isHostToken(token)).toBe(true);
    expect(newHostToken()).not.toBe(token);
  });

  it('is generated once into DATA_DIR (0600) and read back on the next start', async () => {
    const dataDir = path.join(tmp, 'data');
    const first = await readOrCreateLocalHostToken(dataDir);
    expect(isHostToken(first)).toBe(true);
    const file = localHostTokenFile(dataDir);
    expect(path.dirname(file)).toBe(dataDir);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await expect(readOrCreateLocalHostToken(dataDir)).resolves.toBe(first);
  });

  it('refuses a file that does not hold a host token rather than inventing a new identity', async () => {
    const dataDir = path.join(tmp, 'broken');
    await fs.mkdir(dataDir);
    await fs.writeFile(localHostTokenFile(dataDir), `${'a'.repeat(64)}\n`);
    await expect(readOrCreateLocalHostToken(dataDir)).rejects.toThrow(/no usable secret/);
  });
});

describe('the line printed for the agent', () => {
  it('announces three virtual printers by default', () => {
    expect(describeAgent({})).toMatch(/three virtual printers \(prusa, ender, klipper\) when no real printer/);
    expect(describeAgent({ AGENT_VIRTUAL_PRINTERS: 'auto' })).toBe(describeAgent({}));
  });

  it('says so when virtual printers are off, or lists the chosen ones', () => {
    expect(describeAgent({ AGENT_VIRTUAL_PRINTERS: 'none' })).toContain('real serial ports only');
    expect(describeAgent({ AGENT_VIRTUAL_PRINTERS: 'prusa, klipper' })).toContain(
      '2 virtual printer(s) (prusa, klipper)',
    );
  });
});
