import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  USER_PASSWORD,
  call,
  completeSetup,
  createUser,
  login,
  startHarness,
  type Harness,
  type Session,
} from './support/harness.js';

const MIN = 60 * 1000;

describe('sessions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
  });
  afterAll(() => h.close());

  const whoami = (s: Session) => call(h, s, { method: 'GET', url: '/api/auth/session' });

  it('sets an HttpOnly SameSite=Lax cookie and a new session id at every sign-in', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === 'farm_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    expect(cookie?.path).toBe('/');
    const second = await login(h, 'admin', ADMIN_PASSWORD);
    expect(second.cookie).not.toBe(`farm_session=${cookie?.value}`);
    const stored = await h.db.selectFrom('sessions').select('id_hash').execute();
    expect(stored.some((r) => r.id_hash === cookie?.value)).toBe(false);
  });

  it('ends a session idle for more than 30 minutes', async () => {
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    h.clock.advance(31 * MIN);
    const res = await whoami(s);
    expect(res.statusCode).toBe(401);
  });

  it('slides the idle timeout with activity but ends every session after 12 hours', async () => {
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    for (let elapsed = 0; elapsed < 11 * 60 * MIN; elapsed += 25 * MIN) {
      h.clock.advance(25 * MIN);
      expect({ elapsed, status: (await whoami(s)).statusCode }).toEqual({ elapsed, status: 200 });
    }
    // 11 h 15 min so far; 11 h 40 min is still inside, 12 h 05 min is not, though never idle 30 min.
    h.clock.advance(25 * MIN);
    expect((await whoami(s)).statusCode).toBe(200);
    h.clock.advance(25 * MIN);
    expect((await whoami(s)).statusCode).toBe(401);
  });

  it('ends the session at logout', async () => {
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    expect((await call(h, s, { method: 'POST', url: '/api/auth/logout' })).statusCode).toBe(204);
    expect((await whoami(s)).statusCode).toBe(401);
  });

  it('ends every session of a user who changes their password', async () => {
    await createUser(h, await login(h, 'admin', ADMIN_PASSWORD), 'pat', 'operator');
    const a = await login(h, 'pat', USER_PASSWORD);
    const b = await login(h, 'pat', USER_PASSWORD);
    const wrong = await call(h, a, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: 'not-the-password-123', newPassword: 'a brand new passphrase 77' },
    });
    expect(wrong.statusCode).toBe(401);
    const res = await call(h, a, {
      method: 'POST',
      url: '/api/auth/password',
      payload: { currentPassword: USER_PASSWORD, newPassword: 'a brand new passphrase 77' },
    });
    expect(res.statusCode).toBe(204);
    expect((await whoami(a)).statusCode).toBe(401);
    expect((await whoami(b)).statusCode).toBe(401);
    await login(h, 'pat', 'a brand new passphrase 77');
  });

  it('refuses a common or short new password', async () => {
    const s = await login(h, 'pat', 'a brand new passphrase 77');
    for (const newPassword of ['password1234', 'qwertyuiop', 'short']) {
      const res = await call(h, s, {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: 'a brand new passphrase 77', newPassword },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toBe('weak_password');
    }
  });

  it('accepts a very long password and does not truncate it', async () => {
    const long = `${'x1y2z3'.repeat(150)}-tail-A`;
    const user = await createUser(h, await login(h, 'admin', ADMIN_PASSWORD), 'longpw', 'viewer');
    await h.app.services.users.resetPassword(user.id, long);
    await login(h, 'longpw', long);
    const truncated = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'longpw', password: long.slice(0, 72) },
    });
    expect(truncated.statusCode).toBe(401);
  });

  it('ends the sessions of a user the moment they are disabled or their role changes', async () => {
    const viewer = await createUser(h, await login(h, 'admin', ADMIN_PASSWORD), 'vic', 'operator');
    const s = await login(h, 'vic', USER_PASSWORD);
    expect((await whoami(s)).statusCode).toBe(200);
    const fresh = await login(h, 'admin', ADMIN_PASSWORD);
    expect(
      (await call(h, fresh, { method: 'PATCH', url: `/api/users/${viewer.id}`, payload: { role: 'viewer' } }))
        .statusCode,
    ).toBe(200);
    expect((await whoami(s)).statusCode).toBe(401);
    const s2 = await login(h, 'vic', USER_PASSWORD);
    expect((await whoami(s2)).json().user.role).toBe('viewer');
    expect(
      (await call(h, fresh, { method: 'PATCH', url: `/api/users/${viewer.id}`, payload: { disabled: true } }))
        .statusCode,
    ).toBe(200);
    expect((await whoami(s2)).statusCode).toBe(401);
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'vic', password: USER_PASSWORD },
    });
    expect(again.statusCode).toBe(401);
  });
});

describe('sessions over https', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { PUBLIC_URL: 'https://farm.example.org' } });
    await completeSetup(h);
  });
  afterAll(() => h.close());

  it('uses a Secure __Host- cookie', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const cookie = res.cookies.find((c) => c.name === '__Host-farm_session');
    expect(cookie?.secure).toBe(true);
    expect(cookie?.httpOnly).toBe(true);
  });
});
