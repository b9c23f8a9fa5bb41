import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256 } from '../src/auth/secret-tokens.js';
import {
  ADMIN_PASSWORD,
  USER_PASSWORD,
  call,
  completeSetup,
  createKey,
  createUser,
  login,
  startHarness,
  type Harness,
  type Session,
} from './support/harness.js';

const DAY = 24 * 60 * 60 * 1000;

describe('API keys', () => {
  let h: Harness;
  let admin: Session;
  let operator: Session;
  let operatorId: string;

  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    operatorId = (await createUser(h, admin, 'olga', 'operator')).id;
    await createUser(h, admin, 'vera', 'viewer');
    operator = await login(h, 'olga', USER_PASSWORD);
  });
  afterAll(() => h.close());

  it('shows a new key once and stores only its hash and prefix', async () => {
    const { key, id } = await createKey(h, operator, { name: 'PrusaSlicer', preset: 'slicer' });
    expect(key).toMatch(/^farm_[A-Za-z0-9_-]{8}_[A-Za-z0-9_-]{43}$/);
    const row = await h.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.key_hash).toBe(sha256(key));
    // The secret is the last 43 characters (prefix and secret are base64url, so '_' may occur inside them).
    expect(JSON.stringify(row)).not.toContain(key.slice(-43));
    expect(key.startsWith(`farm_${row.prefix}_`)).toBe(true);
    const list = await call(h, operator, { method: 'GET', url: '/api/apikeys' });
    expect(list.body).not.toContain(key);
    expect(list.json().keys[0]).toMatchObject({
      id,
      prefix: row.prefix,
      preset: 'slicer',
      scopes: ['files.upload', 'jobs.create'],
    });
  });

  it('expires slicer keys after a year and other presets after 90 days by default', async () => {
    const slicer = await createKey(h, operator, { name: 's', preset: 'slicer' });
    const monitor = await createKey(h, operator, { name: 'm', preset: 'monitor' });
    const rows = await h.db
      .selectFrom('api_keys')
      .select(['id', 'expires_at', 'created_at'])
      .where('id', 'in', [slicer.id, monitor.id])
      .execute();
    const life = (id: string) => {
      const r = rows.find((x) => x.id === id);
      return r ? Math.round((r.expires_at.getTime() - h.clock.now().getTime()) / DAY) : NaN;
    };
    expect(life(slicer.id)).toBe(365);
    expect(life(monitor.id)).toBe(90);
  });

  it('keeps scopes within the owner’s permissions and never grants bed-clear', async () => {
    const viewer = await login(h, 'vera', USER_PASSWORD);
    expect(
      (await call(h, viewer, { method: 'POST', url: '/api/apikeys', payload: { name: 'x', preset: 'monitor' } }))
        .statusCode,
    ).toBe(403);
    const opAutomation = await call(h, operator, {
      method: 'POST',
      url: '/api/apikeys',
      payload: { name: 'x', preset: 'automation', permissions: ['printer.read'] },
    });
    expect(opAutomation.statusCode).toBe(403);
    for (const permissions of [
      ['printer.bed_clear'],
      ['users.manage'],
      ['system.manage'],
      ['printer.read', 'apikeys.any'],
    ]) {
      const res = await call(h, admin, {
        method: 'POST',
        url: '/api/apikeys',
        payload: { name: 'x', preset: 'automation', permissions },
      });
      expect(res.statusCode).toBe(422);
    }
    const flash = await call(h, admin, {
      method: 'POST',
      url: '/api/apikeys',
      payload: { name: 'x', preset: 'automation', permissions: ['firmware.flash'] },
    });
    expect(flash.statusCode).toBe(422);
    const smuggled = await call(h, operator, {
      method: 'POST',
      url: '/api/apikeys',
      payload: { name: 'x', preset: 'slicer', permissions: ['users.manage'] },
    });
    expect(smuggled.statusCode).toBe(422);
  });

  it('needs a recent password entry to create a key', async () => {
    const s = await login(h, 'olga', USER_PASSWORD);
    h.clock.advance(6 * 60 * 1000);
    const res = await call(h, s, { method: 'POST', url: '/api/apikeys', payload: { name: 'late', preset: 'monitor' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('step_up_required');
    const up = await call(h, s, { method: 'POST', url: '/api/auth/step-up', payload: { password: USER_PASSWORD } });
    expect(up.statusCode).toBe(200);
    expect(
      (await call(h, s, { method: 'POST', url: '/api/apikeys', payload: { name: 'late', preset: 'monitor' } }))
        .statusCode,
    ).toBe(201);
    operator = await login(h, 'olga', USER_PASSWORD);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
  });

  it('accepts a key in X-Api-Key or Authorization: Bearer, never in the query string or a cookie', async () => {
    const { key } = await createKey(h, operator, { name: 'dash', preset: 'monitor' });
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/auth/session', headers: { 'x-api-key': key } })).statusCode,
    ).toBe(403);
    const asKey = (headers: Record<string, string>, url = '/api/apikeys') =>
      h.app.inject({ method: 'GET', url, headers });
    // monitor holds no apikeys.own: 403 proves the key was recognised, 401 that it was not.
    expect((await asKey({ 'x-api-key': key })).statusCode).toBe(403);
    expect((await asKey({ authorization: `Bearer ${key}` })).statusCode).toBe(403);
    expect((await asKey({}, `/api/apikeys?api_key=${key}`)).statusCode).toBe(401);
    expect((await asKey({}, `/api/apikeys?apikey=${key}`)).statusCode).toBe(401);
    expect((await asKey({ cookie: `farm_session=${key}` })).statusCode).toBe(401);
  });

  it('uses only the key when a request carries a key and a cookie', async () => {
    const { key } = await createKey(h, operator, { name: 'mon', preset: 'monitor' });
    const both = await h.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { 'x-api-key': key, cookie: admin.cookie },
    });
    expect(both.statusCode).toBe(403);
    const badKeyGoodCookie = await h.app.inject({
      method: 'GET',
      url: '/api/users',
      headers: { 'x-api-key': 'farm_nope', cookie: admin.cookie },
    });
    expect(badKeyGoodCookie.statusCode).toBe(401);
  });

  it('refuses revoked and expired keys at once', async () => {
    const { key, id } = await createKey(h, admin, {
      name: 'auto',
      preset: 'automation',
      permissions: ['audit.read'],
      expiresInDays: 1,
    });
    const read = () => h.app.inject({ method: 'GET', url: '/api/audit', headers: { 'x-api-key': key } });
    expect((await read()).statusCode).toBe(200);
    const row = await h.db.selectFrom('api_keys').select('last_used_at').where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.last_used_at).not.toBeNull();
    h.clock.advance(DAY + 1000);
    expect((await read()).statusCode).toBe(401);

    admin = await login(h, 'admin', ADMIN_PASSWORD);
    const second = await createKey(h, admin, { name: 'auto2', preset: 'automation', permissions: ['audit.read'] });
    const read2 = () => h.app.inject({ method: 'GET', url: '/api/audit', headers: { 'x-api-key': second.key } });
    expect((await read2()).statusCode).toBe(200);
    expect((await call(h, admin, { method: 'DELETE', url: `/api/apikeys/${second.id}` })).statusCode).toBe(204);
    expect((await read2()).statusCode).toBe(401);
  });

  it('does not let one user revoke another user’s key through the own-keys route', async () => {
    operator = await login(h, 'olga', USER_PASSWORD);
    const { id } = await createKey(h, operator, { name: 'mine', preset: 'monitor' });
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    expect((await call(h, admin, { method: 'DELETE', url: `/api/apikeys/${id}` })).statusCode).toBe(404);
    expect((await call(h, admin, { method: 'DELETE', url: `/api/admin/apikeys/${id}` })).statusCode).toBe(204);
  });

  it('narrows a key the moment its owner is demoted or disabled', async () => {
    operator = await login(h, 'olga', USER_PASSWORD);
    const { key } = await createKey(h, operator, { name: 'slicer', preset: 'slicer' });
    const own = () => h.app.inject({ method: 'GET', url: '/api/apikeys', headers: { 'x-api-key': key } });
    expect((await own()).statusCode).toBe(403);
    const holdsJobsCreate = async () => {
      const principal = await h.app.services.apiKeys.principalForKey(key, '127.0.0.1');
      return principal?.permissions.has('jobs.create') ?? null;
    };
    expect(await holdsJobsCreate()).toBe(true);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    await call(h, admin, { method: 'PATCH', url: `/api/users/${operatorId}`, payload: { role: 'viewer' } });
    expect(await holdsJobsCreate()).toBe(false);
    await call(h, admin, {
      method: 'PATCH',
      url: `/api/users/${operatorId}`,
      payload: { role: 'operator', disabled: true },
    });
    expect(await holdsJobsCreate()).toBeNull();
  });

  it('honours an address restriction', async () => {
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    const { key } = await createKey(h, admin, {
      name: 'lan',
      preset: 'automation',
      permissions: ['audit.read'],
      allowedCidrs: ['10.0.0.0/8'],
    });
    const from = (ip: string) =>
      h.app.inject({ method: 'GET', url: '/api/audit', headers: { 'x-api-key': key }, remoteAddress: ip });
    expect((await from('10.1.2.3')).statusCode).toBe(200);
    expect((await from('192.168.1.2')).statusCode).toBe(401);
  });
});
