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

describe('schemas refuse mass assignment and prototype keys', () => {
  let h: Harness;
  let admin: Session;
  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
  });
  afterAll(() => h.close());

  const raw = (url: string, body: string, method: 'POST' | 'PATCH' = 'POST') =>
    h.app.inject({
      method,
      url,
      payload: body,
      headers: {
        'content-type': 'application/json',
        cookie: admin.cookie,
        origin: ORIGIN,
        'x-csrf-token': admin.csrfToken,
      },
    });

  it('refuses unknown fields instead of dropping or storing them', async () => {
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    const cases: Array<[string, Record<string, unknown>]> = [
      ['/api/users', { username: 'mallory', password: 'operator-Passphrase-9731', role: 'viewer', isAdmin: true }],
      ['/api/users', { username: 'mallory', password: 'operator-Passphrase-9731', role: 'viewer', password_hash: 'x' }],
      ['/api/users', { username: 'mallory', password: 'operator-Passphrase-9731', role: 'root' }],
      ['/api/apikeys', { name: 'k', preset: 'monitor', scopes: ['users.manage'] }],
      ['/api/apikeys', { name: 'k', preset: 'monitor', userId: '00000000-0000-4000-8000-000000000000' }],
    ];
    for (const [url, payload] of cases) {
      const res = await call(h, admin, { method: 'POST', url, payload });
      expect({ url, status: res.statusCode, error: res.json().error }).toEqual({
        url,
        status: 400,
        error: 'validation_failed',
      });
    }
    const users = await h.db.selectFrom('users').select('username').execute();
    expect(users.map((u) => u.username)).toEqual(['admin']);
  });

  it('refuses __proto__ and constructor.prototype keys anywhere in a body', async () => {
    const bodies = [
      '{"username":"p1","password":"operator-Passphrase-9731","role":"viewer","__proto__":{"role":"admin"}}',
      '{"username":"p2","password":"operator-Passphrase-9731","role":"viewer","constructor":{"prototype":{"isAdmin":true}}}',
      '{"username":"p3","password":"operator-Passphrase-9731","role":"viewer","groupIds":[],"x":{"__proto__":{"polluted":1}}}',
    ];
    for (const body of bodies) {
      const res = await raw('/api/users', body);
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toContain('stack');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
    const patch = await raw(
      '/api/users/00000000-0000-4000-8000-000000000000',
      '{"__proto__":{"role":"admin"}}',
      'PATCH',
    );
    expect(patch.statusCode).toBe(400);
  });

  it('answers malformed JSON with a generic error and no echo', async () => {
    const res = await raw('/api/users', '{"username": "<script>alert(1)</script>", ');
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('<script>');
    expect(Object.keys(res.json()).sort()).toEqual(['error', 'message', 'requestId']);
  });

  it('answers an unknown route with 404 and the standard error body', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: 'not_found' });
  });
});
