import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAppEnv } from '../../scripts/launcher/child-env.js';
import { planLaunch } from '../../scripts/launcher/plan.js';

const root = '/srv/farm';

describe('planLaunch', () => {
  it('starts Postgres and Redis locally, with data under <repo>/data, when nothing is configured', () => {
    expect(planLaunch({}, root)).toEqual({
      dataDir: path.join(root, 'data'),
      postgres: { kind: 'local' },
      redis: { kind: 'local' },
    });
  });

  it('uses DATABASE_URL and REDIS_URL when they are set', () => {
    const plan = planLaunch({ DATABASE_URL: 'postgres://app@db/farm', REDIS_URL: 'redis://cache:6379' }, root);
    expect(plan.postgres).toEqual({ kind: 'external', url: 'postgres://app@db/farm' });
    expect(plan.redis).toEqual({ kind: 'external', url: 'redis://cache:6379' });
  });

  it('mixes: an external Postgres with a local Redis', () => {
    const plan = planLaunch({ DATABASE_URL: 'postgres://app@db/farm' }, root);
    expect(plan.postgres.kind).toBe('external');
    expect(plan.redis).toEqual({ kind: 'local' });
  });

  it('treats an empty or blank URL as unset rather than connecting to ""', () => {
    const plan = planLaunch({ DATABASE_URL: '', REDIS_URL: '   ' }, root);
    expect(plan.postgres).toEqual({ kind: 'local' });
    expect(plan.redis).toEqual({ kind: 'local' });
  });

  it('resolves a relative DATA_DIR against the repository, and keeps an absolute one', () => {
    expect(planLaunch({ DATA_DIR: 'var/farm' }, root).dataDir).toBe('/srv/farm/var/farm');
    expect(planLaunch({ DATA_DIR: '/var/lib/farm' }, root).dataDir).toBe('/var/lib/farm');
  });
});

describe('buildAppEnv', () => {
  const services = {
    databaseUrl: 'postgres://p@127.0.0.1:5555/farm',
    redisUrl: 'redis://:x@127.0.0.1:6666',
    dataDir: '/d',
    managerUrl: 'http://127.0.0.1:3000',
    hostToken: `fh_0123abcd_${'A'.repeat(43)}`,
  };

  it('passes the caller environment through (HOST, PORT, LOG_LEVEL, secrets)', () => {
    const env = buildAppEnv({ HOST: '0.0.0.0', PORT: '8080', LOG_LEVEL: 'debug', SESSION_SECRET: 's' }, services);
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '8080', LOG_LEVEL: 'debug', SESSION_SECRET: 's' });
  });

  it('sets the service URLs and the absolute data folder the launcher settled on', () => {
    const env = buildAppEnv({ DATABASE_URL: '', DATA_DIR: 'relative' }, services);
    expect(env.DATABASE_URL).toBe(services.databaseUrl);
    expect(env.REDIS_URL).toBe(services.redisUrl);
    expect(env.DATA_DIR).toBe('/d');
  });

  it("gives the manager this machine's host token as LOCAL_HOST_TOKEN, and never the agent's HOST_TOKEN", () => {
    const env = buildAppEnv({ HOST_TOKEN: 'fh_other', LOCAL_HOST_TOKEN: 'stale' }, services);
    expect(env.LOCAL_HOST_TOKEN).toBe(services.hostToken);
    expect(env).not.toHaveProperty('HOST_TOKEN');
  });

  it('drops variables that are declared but undefined', () => {
    expect(Object.keys(buildAppEnv({ GONE: undefined }, services))).not.toContain('GONE');
  });
});
