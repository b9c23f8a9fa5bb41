import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeSetup, startHarness, type Harness } from './support/harness.js';

describe('HTTP pipeline', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      rateLimitPerMinute: 3,
      extraRoutes: (app) => {
        app.post(
          '/api/test/estop',
          { config: { public: true, rateLimitExempt: true }, schema: { operationId: 'test.estop' } },
          async () => ({ stopped: true }),
        );
        app.get(
          '/api/test/limited',
          { config: { public: true }, schema: { operationId: 'test.limited' } },
          async () => ({ ok: true }),
        );
        app.get('/api/test/boom', { config: { public: true }, schema: { operationId: 'test.boom' } }, async () => {
          throw new Error('db password=hunter2 at /srv/secret/path');
        });
      },
    });
    await completeSetup(h);
  });
  afterAll(() => h.close());

  it('rate limits ordinary routes with Retry-After but never a route flagged exempt', async () => {
    const ip = '198.51.100.40';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await h.app.inject({ method: 'GET', url: '/api/test/limited', remoteAddress: ip })).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const limited = await h.app.inject({ method: 'GET', url: '/api/test/limited', remoteAddress: ip });
    expect(limited.json().error).toBe('too_many_requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) {
      expect(
        (await h.app.inject({ method: 'POST', url: '/api/test/estop', payload: {}, remoteAddress: ip })).statusCode,
      ).toBe(200);
    }
  });

  it('answers an unexpected failure with a generic 500: no message, no stack', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/test/boom' });
    expect(res.statusCode).toBe(500);
    expect(Object.keys(res.json()).sort()).toEqual(['error', 'message', 'requestId']);
    expect(res.json().error).toBe('internal');
    expect(res.body).not.toContain('hunter2');
    expect(res.body).not.toContain('/srv');
    expect(res.body).not.toContain('at ');
  });

  it('ignores a client-supplied request id', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nope', headers: { 'request-id': 'attacker-chosen' } });
    expect(res.json().requestId).not.toBe('attacker-chosen');
  });

  it('tells anonymous callers only whether Postgres and Redis answer', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.json()).toEqual({ postgres: true, redis: true });
    expect(JSON.stringify(res.headers)).not.toMatch(/fastify|node|version/i);
  });
});

describe('health with Redis down', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ redisUrl: 'redis://127.0.0.1:1' });
  });
  afterAll(() => h.close());

  it('answers 503 naming the service that is down', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ postgres: true, redis: false });
  });
});
