import { describe, expect, it } from 'vitest';
import { AgentConfigError, parseAgentConfig, type Env } from './agent-config.js';

const TOKEN = `fh_0123abcd_${'A'.repeat(43)}`;
const base: Env = { MANAGER_URL: 'http://127.0.0.1:3000/', HOST_TOKEN: TOKEN, REDIS_URL: 'redis://127.0.0.1:6379' };

function issues(env: Env): Record<string, string> {
  try {
    parseAgentConfig(env, '/srv/farm');
  } catch (error) {
    if (error instanceof AgentConfigError) return Object.fromEntries(error.issues.map((i) => [i.variable, i.problem]));
    throw error;
  }
  return {};
}

describe('parseAgentConfig', () => {
  it('fills the defaults', () => {
    expect(parseAgentConfig(base, '/srv/farm')).toEqual({
      managerUrl: 'http://127.0.0.1:3000',
      hostToken: TOKEN,
      redisUrl: 'redis://127.0.0.1:6379',
      redisPrefix: 'farm:',
      dataDir: '/srv/farm/data',
      logLevel: 'info',
      virtualPrinters: { mode: 'auto' },
      portsFile: undefined,
      scanIntervalMs: 2000,
      workerCommand: undefined,
    });
  });

  it('reads every setting', () => {
    const config = parseAgentConfig(
      {
        ...base,
        MANAGER_URL: 'https://farm.example.org/base/',
        REDIS_PREFIX: 'test:1:',
        DATA_DIR: 'var',
        LOG_LEVEL: 'DEBUG',
        AGENT_VIRTUAL_PRINTERS: 'prusa, klipper,prusa',
        AGENT_PORTS_FILE: 'ports.json',
        AGENT_SCAN_INTERVAL_MS: '250',
        AGENT_WORKER_COMMAND: '["/usr/bin/node","dist/port-worker.js"]',
      },
      '/srv/farm',
    );
    expect(config).toMatchObject({
      managerUrl: 'https://farm.example.org/base',
      redisPrefix: 'test:1:',
      dataDir: '/srv/farm/var',
      logLevel: 'debug',
      virtualPrinters: { mode: 'list', kinds: ['prusa', 'klipper', 'prusa'] },
      portsFile: '/srv/farm/ports.json',
      scanIntervalMs: 250,
      workerCommand: ['/usr/bin/node', 'dist/port-worker.js'],
    });
    expect(parseAgentConfig({ ...base, AGENT_VIRTUAL_PRINTERS: 'none' }, '/').virtualPrinters).toEqual({ mode: 'none' });
  });

  it('reports every bad value at once, without echoing the token', () => {
    const found = issues({
      MANAGER_URL: 'ftp://x',
      HOST_TOKEN: 'fh_nothex_short',
      REDIS_URL: 'http://redis',
      REDIS_PREFIX: 'a b',
      LOG_LEVEL: 'loud',
      AGENT_VIRTUAL_PRINTERS: 'prusa,anet',
      AGENT_SCAN_INTERVAL_MS: '10',
      AGENT_WORKER_COMMAND: '"node worker.js"',
    });
    expect(Object.keys(found).sort()).toEqual([
      'AGENT_SCAN_INTERVAL_MS',
      'AGENT_VIRTUAL_PRINTERS',
      'AGENT_WORKER_COMMAND',
      'HOST_TOKEN',
      'LOG_LEVEL',
      'MANAGER_URL',
      'REDIS_PREFIX',
      'REDIS_URL',
    ]);
    expect(JSON.stringify(found)).not.toContain('fh_nothex_short');
  });

  it('requires the manager URL, the host token and Redis', () => {
    expect(Object.keys(issues({})).sort()).toEqual(['HOST_TOKEN', 'MANAGER_URL', 'REDIS_URL']);
    expect(issues({ ...base, AGENT_WORKER_COMMAND: 'not json' })).toHaveProperty('AGENT_WORKER_COMMAND');
    expect(issues({ ...base, AGENT_WORKER_COMMAND: '[]' })).toHaveProperty('AGENT_WORKER_COMMAND');
    expect(issues({ ...base, MANAGER_URL: 'http://user:pw@manager' })).toHaveProperty('MANAGER_URL');
  });
});
