import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/auth/totp.js';
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
} from './support/harness.js';

describe('audit log', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
  });
  afterAll(() => h.close());

  const rows = () => h.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  it('writes one row for setup, each sign-in and each state change, with outcome and reason', async () => {
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'wrong-password-000' },
      remoteAddress: '192.0.2.7',
    });
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    const user = await createUser(h, admin, 'gina', 'viewer');
    const gina = await login(h, 'gina', USER_PASSWORD);
    await call(h, gina, {
      method: 'POST',
      url: '/api/users',
      payload: { username: 'x1', password: USER_PASSWORD, role: 'admin' },
    });
    const all = await rows();
    const summary = all.map((r) => [r.action, r.outcome, r.actor_kind, r.actor_name, r.reason]);
    expect(summary).toEqual([
      ['setup.complete', 'success', 'user', 'admin', null],
      ['auth.login', 'denied', 'anonymous', 'admin', 'invalid_credentials'],
      ['auth.login', 'success', 'user', 'admin', null],
      ['users.create', 'success', 'user', 'admin', null],
      ['auth.login', 'success', 'user', 'gina', null],
      ['users.create', 'denied', 'user', 'gina', 'forbidden'],
    ]);
    expect(all[1]?.ip).toBe('192.0.2.7');
    expect(all[3]?.target).toBe(user.id);
    expect(all.every((r) => r.request_id)).toBe(true);
  });

  it('does not write rows for reads', async () => {
    const before = (await rows()).length;
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    await call(h, admin, { method: 'GET', url: '/api/users' });
    await call(h, admin, { method: 'GET', url: '/api/audit' });
    expect((await rows()).length).toBe(before + 1);
  });

  it('cannot be changed or removed, even with direct SQL', async () => {
    await expect(sql`UPDATE audit_log SET outcome = 'success'`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_log`.execute(h.db)).rejects.toThrow(/append-only/);
  });

  it('lets admins read it with filters and paging, and nobody else', async () => {
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    const page1 = await call(h, admin, { method: 'GET', url: '/api/audit?limit=2' });
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json<{ items: Array<{ id: number }>; nextBefore: number }>();
    expect(body1.items).toHaveLength(2);
    const page2 = await call(h, admin, { method: 'GET', url: `/api/audit?limit=2&before=${body1.nextBefore}` });
    const ids2 = page2.json<{ items: Array<{ id: number }> }>().items.map((i) => i.id);
    expect(Math.max(...ids2)).toBeLessThan(Math.min(...body1.items.map((i) => i.id)));
    const denied = await call(h, admin, { method: 'GET', url: '/api/audit?outcome=denied&action=users.create' });
    expect(denied.json().items.map((i: { actorName: string }) => i.actorName)).toEqual(['gina']);
    const gina = await login(h, 'gina', USER_PASSWORD);
    expect((await call(h, gina, { method: 'GET', url: '/api/audit' })).statusCode).toBe(403);
  });
});

describe('logs never contain secrets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        LOG_LEVEL: 'trace',
        SESSION_SECRET: 'CANARY-sess-7f3a9c2e1b4d6f8a0c2e4g6i8k',
        JOB_SIGNING_SECRET: 'CANARY-jobsig-1a2b3c4d5e6f7g8h9i0j1k2l3m4n',
        DATA_ENCRYPTION_KEY: 'CANARY-dek-9z8y7x6w5v4u3t2s1r0q9p8o7n6m',
      },
    });
  });
  afterAll(() => h.close());

  it('redacts passwords, tokens, keys, cookies, TOTP codes and configured secrets', async () => {
    const canaries: string[] = ['CANARY-sess-7f3a', 'CANARY-jobsig-1a2b', 'CANARY-dek-9z8y'];
    const issued = await h.app.services.setup.issueToken();
    canaries.push(issued?.token ?? 'missing');
    const adminPassword = 'CANARY-first-pass-phrase-9412';
    canaries.push(adminPassword);
    await h.app.inject({
      method: 'POST',
      url: `/api/setup?token=${issued?.token}`,
      payload: {
        token: issued?.token,
        username: 'admin',
        password: adminPassword,
        acknowledgements: { unattendedPrinting: true, networkExposure: true },
      },
    });
    const wrong = 'CANARY-wrong-password-5531';
    canaries.push(wrong);
    await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'admin', password: wrong } });
    const admin = await login(h, 'admin', adminPassword);
    canaries.push(admin.cookie.split('=')[1] ?? 'missing', admin.csrfToken);
    const { key } = await createKey(h, admin, { name: 'k', preset: 'automation', permissions: ['audit.read'] });
    canaries.push(key);
    await h.app.inject({ method: 'GET', url: '/api/audit', headers: { 'x-api-key': key } });
    await h.app.inject({ method: 'GET', url: '/api/audit', headers: { authorization: `Bearer ${key}` } });
    await h.app.inject({ method: 'GET', url: `/api/audit?api_key=${key}` });
    const enrol = await call(h, admin, {
      method: 'POST',
      url: '/api/auth/totp/enroll',
      payload: { password: adminPassword },
    });
    const secret = enrol.json<{ secret: string }>().secret;
    canaries.push(secret);
    const code = totpCode(secret, h.clock.now());
    const confirm = await call(h, admin, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code } });
    canaries.push(...confirm.json<{ recoveryCodes: string[] }>().recoveryCodes);
    const newPassword = 'CANARY-new-pass-phrase-7781';
    canaries.push(newPassword);
    await call(h, admin, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: adminPassword, newPassword },
    });
    // A failing request with a secret in a malformed body.
    await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: `{"password":"${wrong}"`,
    });

    const log = h.logs.join('');
    expect(log.length).toBeGreaterThan(1000);
    expect(log).toContain('[Redacted]');
    for (const canary of canaries) expect({ canary, found: log.includes(canary) }).toEqual({ canary, found: false });
  });
});
