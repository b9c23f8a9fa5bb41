import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from './support/harness.js';

const acks = { unattendedPrinting: true, networkExposure: true };

describe('first-start setup', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('has no account at all before setup (no default credentials)', async () => {
    expect(await h.db.selectFrom('users').select('id').execute()).toEqual([]);
    for (const [username, password] of [
      ['admin', 'admin'],
      ['admin', 'password'],
      ['root', 'changeme'],
    ]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
      expect(res.statusCode).toBe(503);
    }
  });

  it('answers only health and setup before the first admin exists', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    expect((await h.app.inject({ method: 'GET', url: '/api/setup/status' })).json()).toEqual({ setupRequired: true });
    const users = await h.app.inject({ method: 'GET', url: '/api/users' });
    expect(users.statusCode).toBe(503);
    expect(users.json().error).toBe('setup_required');
    const loginRes = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'a', password: 'b' },
    });
    expect(loginRes.statusCode).toBe(503);
  });

  it('refuses a wrong token, a missing acknowledgement and an expired token', async () => {
    const issued = await h.app.services.setup.issueToken();
    expect(issued?.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: 'x'.repeat(43), username: 'admin', password: ADMIN_PASSWORD, acknowledgements: acks },
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error).toBe('invalid_token');
    const noAck = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: {
        token: issued?.token,
        username: 'admin',
        password: ADMIN_PASSWORD,
        acknowledgements: { unattendedPrinting: true },
      },
    });
    expect(noAck.statusCode).toBe(400);
    h.clock.advance(61 * 60 * 1000);
    const expired = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: issued?.token, username: 'admin', password: ADMIN_PASSWORD, acknowledgements: acks },
    });
    expect(expired.json().error).toBe('invalid_token');
  });

  it('creates exactly one admin when many setup requests race with the token', async () => {
    const issued = await h.app.services.setup.issueToken();
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        h.app.inject({
          method: 'POST',
          url: '/api/setup',
          payload: { token: issued?.token, username: `admin${i}`, password: ADMIN_PASSWORD, acknowledgements: acks },
        }),
      ),
    );
    const statuses = attempts.map((r) => r.statusCode).sort();
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 410)).toBe(true);
    const users = await h.db.selectFrom('users').select(['id', 'role']).execute();
    expect(users).toHaveLength(1);
    expect(users[0]?.role).toBe('admin');
    const ackRows = await h.db.selectFrom('safety_acknowledgements').select(['user_id', 'kind']).execute();
    expect(ackRows.map((r) => r.kind).sort()).toEqual(['network_exposure', 'unattended_printing']);
    expect(ackRows.every((r) => r.user_id === users[0]?.id)).toBe(true);
  });

  it('answers 410 for ever after, even to the token that worked, and issues no new token', async () => {
    const again = await h.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { token: 'anything', username: 'second', password: ADMIN_PASSWORD, acknowledgements: acks },
    });
    expect(again.statusCode).toBe(410);
    expect(again.json().error).toBe('setup_complete');
    expect(await h.app.services.setup.issueToken()).toBeNull();
    expect((await h.app.inject({ method: 'GET', url: '/api/setup/status' })).json()).toEqual({ setupRequired: false });
  });

  it('stores the admin password as an argon2id hash of the whole password', async () => {
    const row = await h.db.selectFrom('users').select('password_hash').executeTakeFirstOrThrow();
    expect(row.password_hash.startsWith('$argon2id$')).toBe(true);
    expect(row.password_hash).not.toContain(ADMIN_PASSWORD);
  });
});
