import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  ORIGIN,
  call,
  completeSetup,
  login,
  startHarness,
  type Harness,
  type Session,
} from './support/harness.js';

describe('CSRF and cross-site requests', () => {
  let h: Harness;
  let admin: Session;
  const newUser = { username: 'csrfvictim', password: 'operator-Passphrase-9731', role: 'admin' };

  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
  });
  afterAll(() => h.close());

  async function userCount() {
    return (await h.db.selectFrom('users').select('id').execute()).length;
  }

  it('refuses a cookie request without the CSRF header', async () => {
    const res = await call(h, admin, {
      method: 'POST',
      url: '/api/users',
      payload: newUser,
      headers: { 'x-csrf-token': '' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('csrf_failed');
    const missing = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: newUser,
      headers: { cookie: admin.cookie, origin: ORIGIN },
    });
    expect(missing.statusCode).toBe(403);
    expect(await userCount()).toBe(1);
  });

  it('refuses the right token from another origin or with no origin information', async () => {
    const evil = await call(h, admin, {
      method: 'POST',
      url: '/api/users',
      payload: newUser,
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.json().error).toBe('csrf_failed');
    const crossSite = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: newUser,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken, 'sec-fetch-site': 'cross-site' },
    });
    expect(crossSite.json().error).toBe('csrf_failed');
    const noOrigin = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: newUser,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    });
    expect(noOrigin.json().error).toBe('csrf_failed');
    expect(await userCount()).toBe(1);
  });

  it('refuses a cross-site HTML form post (urlencoded, no token)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/users',
      payload: 'username=evil&password=operator-Passphrase-9731&role=admin',
      headers: {
        cookie: admin.cookie,
        origin: 'https://evil.example',
        'content-type': 'application/x-www-form-urlencoded',
      },
    });
    expect(res.statusCode).toBe(403);
    expect(await userCount()).toBe(1);
  });

  it('refuses bodies that are not JSON even with a valid token and origin', async () => {
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const res = await call(h, admin, {
        method: 'POST',
        url: '/api/users',
        payload: JSON.stringify(newUser),
        headers: { 'content-type': contentType },
      });
      expect(res.statusCode).toBe(415);
    }
    expect(await userCount()).toBe(1);
  });

  it('refuses a cross-site sign-in post (login CSRF)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
      headers: { origin: 'https://evil.example' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('accepts the same request with token, origin and JSON', async () => {
    const res = await call(h, admin, { method: 'POST', url: '/api/users', payload: { ...newUser, role: 'viewer' } });
    expect(res.statusCode).toBe(201);
  });

  it('sends framing and content-security headers', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
  });

  it('refuses bodies over the size limit', async () => {
    const res = await call(h, admin, {
      method: 'POST',
      url: '/api/users',
      payload: { ...newUser, username: 'x'.repeat(300_000) },
    });
    expect(res.statusCode).toBe(413);
  });
});
