import { createHash } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { appProcesses, appProcessSpec } from '../../scripts/launcher/apps.js';
import { findOnPath } from '../../scripts/launcher/find-executable.js';
import { initdbArgs, postgresArgs } from '../../scripts/launcher/postgres-args.js';
import { clusterLocations } from '../../scripts/launcher/postgres-cluster-dir.js';
import { renderRedisConf } from '../../scripts/launcher/redis-conf.js';
import { postgresUrl, redactUrl, redisUrl } from '../../scripts/launcher/urls.js';

const password = 'a'.repeat(64);

describe('local Redis configuration', () => {
  const conf = renderRedisConf({ port: 41000, dir: '/data/redis', pidFile: '/data/redis/redis.pid', password });
  const lines = conf.split('\n');

  it('listens on loopback only, on the chosen port, with protected mode', () => {
    expect(lines).toContain('bind 127.0.0.1');
    expect(lines).toContain('port 41000');
    expect(lines).toContain('protected-mode yes');
  });

  it('requires the generated password, stored only as its SHA-256', () => {
    const user = lines.find((line) => line.startsWith('user default '));
    expect(user).toContain(`#${createHash('sha256').update(password).digest('hex')}`);
    expect(conf).not.toContain(password);
    expect(user?.split(' ').slice(2, 4)).toEqual(['reset', 'on']); // no leftover `nopass`
  });

  it('denies dangerous commands but allows what BullMQ needs', () => {
    const rules = lines.find((line) => line.startsWith('user default '))?.split(' ') ?? [];
    expect(rules).toEqual(expect.arrayContaining(['+@all', '-@dangerous', '+info', '+client|list']));
    expect(rules.indexOf('-@dangerous')).toBeGreaterThan(rules.indexOf('+@all'));
  });

  it('never evicts keys (BullMQ would lose jobs)', () => {
    expect(lines).toContain('maxmemory-policy noeviction');
  });

  it('keeps its data in the given folder, append-only', () => {
    expect(lines).toContain('dir "/data/redis"');
    expect(lines).toContain('appendonly yes');
  });

  it('quotes folder names with quotes and backslashes', () => {
    const odd = renderRedisConf({ port: 1, dir: '/data/a "b"\\c', pidFile: '/p', password });
    expect(odd).toContain('dir "/data/a \\"b\\"\\\\c"');
  });

  it('refuses a line break that would inject a directive', () => {
    expect(() => renderRedisConf({ port: 1, dir: '/data\nrequirepass ""', pidFile: '/p', password })).toThrow(
      /line break/,
    );
  });
});

describe('embedded Postgres command lines', () => {
  it('listens on 127.0.0.1 only, with no socket file to clash with a system Postgres', () => {
    const args = postgresArgs({ clusterDir: '/data/postgres/cluster', port: 40000 });
    expect(args.slice(0, 4)).toEqual(['-D', '/data/postgres/cluster', '-p', '40000']);
    expect(args).toContain('listen_addresses=127.0.0.1');
    expect(args).toContain('unix_socket_directories=');
  });

  it('creates the cluster with password authentication from the password file', () => {
    const args = initdbArgs({ clusterDir: '/c', passwordFile: '/c.pw' });
    expect(args).toEqual(
      expect.arrayContaining(['--pgdata=/c', '--pwfile=/c.pw', '--auth=scram-sha-256', '--username=postgres']),
    );
  });
});

describe('connection URLs', () => {
  it('builds URLs the drivers parse back to the same parts', () => {
    const pg = new URL(postgresUrl({ user: 'postgres', password, port: 40000, database: 'farm' }));
    expect([pg.protocol, pg.hostname, pg.port, pg.username, pg.password, pg.pathname]).toEqual([
      'postgres:',
      '127.0.0.1',
      '40000',
      'postgres',
      password,
      '/farm',
    ]);
    const redis = new URL(redisUrl({ password, port: 41000 }));
    expect([redis.protocol, redis.hostname, redis.port, redis.password]).toEqual([
      'redis:',
      '127.0.0.1',
      '41000',
      password,
    ]);
  });

  it('masks the password in printed URLs and never echoes an unparseable one', () => {
    expect(redactUrl(`postgres://postgres:${password}@127.0.0.1:1/farm`)).toBe(
      'postgres://postgres:***@127.0.0.1:1/farm',
    );
    expect(redactUrl('not a url with secret')).toBe('(unparseable URL)');
  });
});

describe('findOnPath', () => {
  const present = new Set(['/usr/local/bin/redis-server', '/usr/bin/redis-server']);
  const isFile = (candidate: string): boolean => present.has(candidate);

  it('returns the first match in PATH order', () => {
    expect(findOnPath('redis-server', ['/opt/none', '/usr/local/bin', '/usr/bin'].join(path.delimiter), isFile)).toBe(
      '/usr/local/bin/redis-server',
    );
  });

  it('never looks in the current folder through an empty PATH entry', () => {
    const seen: string[] = [];
    findOnPath('redis-server', `${path.delimiter}/usr/bin`, (c) => (seen.push(c), false));
    expect(seen).toEqual(['/usr/bin/redis-server']);
  });

  it('answers undefined when the program is nowhere, or PATH is unset', () => {
    expect(findOnPath('redis-server', '/opt/none', isFile)).toBeUndefined();
    expect(findOnPath('redis-server', undefined, isFile)).toBeUndefined();
  });
});

describe('app processes', () => {
  it('starts the manager first, then the host agent, from their TypeScript entries', () => {
    expect(appProcesses).toEqual([
      { name: 'manager', kind: 'manager', entry: 'apps/manager/src/main.ts' },
      { name: 'agent', kind: 'agent', entry: 'apps/worker/src/agent.ts' },
    ]);
  });

  it('runs each app as one node process with the tsx loader, in the repository, with the given env', () => {
    const spec = appProcessSpec(
      { name: 'manager', kind: 'manager', entry: 'apps/manager/src/main.ts' },
      { repoRoot: '/srv/farm', env: { A: '1' }, nodePath: '/usr/bin/node' },
    );
    expect(spec).toMatchObject({
      command: '/usr/bin/node',
      args: ['--import', 'tsx', '/srv/farm/apps/manager/src/main.ts'],
      cwd: '/srv/farm',
      env: { A: '1' },
      stopSignal: 'SIGTERM',
      output: 'inherit',
    });
  });
});

describe('embedded cluster location', () => {
  it('is DATA_DIR/postgres/cluster, with a fixed fallback per data folder under /var/lib/print-farm', () => {
    const { preferred, fallback } = clusterLocations('/srv/farm/data');
    expect(preferred).toEqual({ parent: '/srv/farm/data/postgres', clusterDir: '/srv/farm/data/postgres/cluster' });
    expect(fallback.clusterDir).toMatch(/^\/var\/lib\/print-farm\/postgres-[0-9a-f]{16}\/cluster$/);
    expect(clusterLocations('/srv/farm/data').fallback).toEqual(fallback);
    expect(clusterLocations('/srv/other/data').fallback).not.toEqual(fallback);
  });
});
