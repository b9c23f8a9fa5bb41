import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  completeSetup,
  createUser,
  login,
  startHarness,
  USER_PASSWORD,
  type Harness,
} from './support/harness.js';

describe('sign-in answers and throttling', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      throttle: { perPair: 3, perAddress: 8, accountDelayAfter: 6, perAccount: 12, windowSeconds: 900 },
    });
    await completeSetup(h);
    await createUser(h, await login(h, 'admin', ADMIN_PASSWORD), 'target', 'operator');
  });
  afterAll(() => h.close());

  const attempt = (username: string, password: string, ip = '203.0.113.5') =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: ip });

  it('answers an unknown user exactly like a wrong password', async () => {
    const unknown = await attempt('nobody-here', 'some-password-123', '198.51.100.1');
    const wrong = await attempt('admin', 'some-password-123', '198.51.100.2');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (body: Record<string, unknown>) => ({ ...body, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
    expect(unknown.cookies).toEqual([]);
  });

  it('stops one address guessing one account, even for the right password, with Retry-After', async () => {
    const ip = '192.0.2.10';
    for (let i = 0; i < 3; i++) expect((await attempt('admin', `wrong-guess-${i}-xyz`, ip)).statusCode).toBe(401);
    const locked = await attempt('admin', ADMIN_PASSWORD, ip);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error).toBe('too_many_requests');
    const retryAfter = Number(locked.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(900);
    // Case does not open a second counter.
    expect((await attempt('ADMIN', ADMIN_PASSWORD, ip)).statusCode).toBe(429);
  });

  it('does not let that address lock the owner out: the right password from elsewhere still signs in', async () => {
    expect((await attempt('admin', ADMIN_PASSWORD, '192.0.2.10')).statusCode).toBe(429);
    expect((await attempt('admin', ADMIN_PASSWORD, '192.0.2.200')).statusCode).toBe(200);
  });

  it('slows a guess spread over many addresses, then closes the account to strangers, not to its owner', async () => {
    // The owner signs in once from home; that address becomes known to the account.
    expect((await attempt('target', USER_PASSWORD, '198.51.100.50')).statusCode).toBe(200);
    // Six failures from six addresses: within the soft limit, nobody waits.
    for (let i = 0; i < 6; i++)
      expect((await attempt('target', `guess-${i}-password`, `10.20.0.${i}`)).statusCode).toBe(401);
    // The seventh failure imposes a wait on every address that never signed in here.
    expect((await attempt('target', 'guess-6-password', '10.20.0.6')).statusCode).toBe(401);
    const stranger = await attempt('target', 'guess-7-password', '10.20.0.7');
    expect(stranger.statusCode).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    // Refused attempts are not failures: the next stranger waits, it is not counted further.
    expect((await attempt('target', USER_PASSWORD, '10.20.0.8')).statusCode).toBe(429);
    // The owner's known address is not held back by the distributed guess.
    expect((await attempt('target', USER_PASSWORD, '198.51.100.50')).statusCode).toBe(200);
  });

  it('closes the account to unknown addresses once the account-wide limit is reached', async () => {
    // Deleting the wait key stands in for the wait running out (Redis keeps real time).
    const waitOut = () => h.redis.del(`${h.config.redisPrefix}login-delay:user:target`);
    // Seven account-wide failures so far; five more patient strangers reach the limit of twelve.
    for (let i = 10; i < 15; i++) {
      await waitOut();
      expect((await attempt('target', `guess-${i}-password`, `10.20.0.${i}`)).statusCode).toBe(401);
    }
    await waitOut();
    const stranger = await attempt('target', USER_PASSWORD, '10.20.0.99');
    expect(stranger.statusCode).toBe(429);
    expect(Number(stranger.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('target', USER_PASSWORD, '198.51.100.50')).statusCode).toBe(200);
  });

  it('throttles one address trying many accounts', async () => {
    const ip = '203.0.113.77';
    for (let i = 0; i < 8; i++) expect((await attempt(`someone${i}`, 'guess-password-1', ip)).statusCode).toBe(401);
    const res = await attempt('someone-else', 'guess-password-1', ip);
    expect(res.statusCode).toBe(429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect((await attempt('someone-else', 'guess-password-1', '203.0.113.78')).statusCode).toBe(401);
  });

  it('ignores X-Forwarded-For from a client that is not a trusted proxy', async () => {
    const ip = '203.0.113.200';
    for (let i = 0; i < 8; i++) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: `fwd${i}`, password: 'guess-password-1' },
        remoteAddress: ip,
        headers: { 'x-forwarded-for': `10.9.8.${i}` },
      });
      expect(res.statusCode).toBe(401);
    }
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'fwd-last', password: 'guess-password-1' },
      remoteAddress: ip,
      headers: { 'x-forwarded-for': '10.9.8.250' },
    });
    expect(res.statusCode).toBe(429);
  });
});

describe('behind a trusted proxy', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: { TRUSTED_PROXIES: '127.0.0.1/32' },
      throttle: { perPair: 50, perAddress: 2, windowSeconds: 900 },
    });
    await completeSetup(h);
  });
  afterAll(() => h.close());

  it('uses the forwarded client address only when the peer is the configured proxy', async () => {
    const viaProxy = (client: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'x', password: 'guess-password-1' },
        remoteAddress: '127.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    await viaProxy('198.51.100.10');
    await viaProxy('198.51.100.10');
    expect((await viaProxy('198.51.100.10')).statusCode).toBe(429);
    expect((await viaProxy('198.51.100.11')).statusCode).toBe(401);
  });
});
