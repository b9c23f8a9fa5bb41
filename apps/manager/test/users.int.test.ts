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
} from './support/harness.js';

describe('user administration', () => {
  let h: Harness;
  let adminId: string;
  beforeAll(async () => {
    h = await startHarness();
    adminId = (await completeSetup(h)).id;
  });
  afterAll(() => h.close());

  const admin = () => login(h, 'admin', ADMIN_PASSWORD);

  it('never demotes, disables or deletes the last active admin', async () => {
    const a = await admin();
    for (const payload of [{ role: 'operator' }, { disabled: true }]) {
      const res = await call(h, a, { method: 'PATCH', url: `/api/users/${adminId}`, payload });
      expect(res.statusCode).toBe(409);
      expect(res.json().error).toBe('last_admin');
    }
    const del = await call(h, a, { method: 'DELETE', url: `/api/users/${adminId}` });
    expect(del.json().error).toBe('last_admin');
    const row = await h.db
      .selectFrom('users')
      .select(['role', 'disabled'])
      .where('id', '=', adminId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ role: 'admin', disabled: false });
  });

  it('keeps one admin when two admins demote each other at the same moment', async () => {
    const a = await admin();
    const second = await createUser(h, a, 'admin2', 'admin');
    const b = await login(h, 'admin2', USER_PASSWORD);
    const [r1, r2] = await Promise.all([
      call(h, a, { method: 'PATCH', url: `/api/users/${second.id}`, payload: { role: 'viewer' } }),
      call(h, b, { method: 'PATCH', url: `/api/users/${adminId}`, payload: { role: 'viewer' } }),
    ]);
    const statuses = [r1.statusCode, r2.statusCode].sort();
    // One demotion wins; the other is refused (last admin) or finds its caller no longer admin.
    expect(statuses[0]).toBe(200);
    expect([401, 403, 409]).toContain(statuses[1]);
    const admins = await h.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .execute();
    expect(admins).toHaveLength(1);
    // Later tests sign in as the first admin: promote it back if it lost.
    if (admins[0]?.id !== adminId) {
      const s = await login(h, 'admin2', USER_PASSWORD);
      await call(h, s, { method: 'PATCH', url: `/api/users/${adminId}`, payload: { role: 'admin' } });
    }
  });

  it('creates users in the default group and lets an admin change role, groups and password', async () => {
    const a = await admin();
    const groups = (await call(h, a, { method: 'GET', url: '/api/printer-groups' })).json().groups as Array<{
      id: string;
      name: string;
    }>;
    expect(groups.map((g) => g.name)).toEqual(['Default']);
    const op = await createUser(h, a, 'carol', 'operator');
    expect(op.groupIds).toEqual([groups[0]?.id]);
    const changed = await call(h, a, { method: 'PATCH', url: `/api/users/${op.id}`, payload: { groupIds: [] } });
    expect(changed.json().groupIds).toEqual([]);
    const badGroup = await call(h, a, {
      method: 'PATCH',
      url: `/api/users/${op.id}`,
      payload: { groupIds: ['00000000-0000-4000-8000-000000000000'] },
    });
    expect(badGroup.statusCode).toBe(400);
    const reset = await call(h, a, {
      method: 'POST',
      url: `/api/users/${op.id}/reset-password`,
      payload: { password: 'fresh reset passphrase 31' },
    });
    expect(reset.statusCode).toBe(204);
    await login(h, 'carol', 'fresh reset passphrase 31');
    const list = await call(h, a, { method: 'GET', url: '/api/users' });
    expect(list.body).not.toContain('argon2');
    expect(list.json().users.map((u: { username: string }) => u.username)).toContain('carol');
  });

  it('refuses a duplicate username regardless of case', async () => {
    const a = await admin();
    const res = await call(h, a, {
      method: 'POST',
      url: '/api/users',
      payload: { username: 'CAROL', password: USER_PASSWORD, role: 'viewer' },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toBe('username_taken');
  });

  it('invites a user with a one-time link that expires after 24 hours', async () => {
    const a = await admin();
    const invite = await call(h, a, { method: 'POST', url: '/api/users/invites', payload: { role: 'operator' } });
    expect(invite.statusCode).toBe(201);
    const { token, url } = invite.json<{ token: string; url: string }>();
    expect(url).toBe(`http://farm.test/invite?token=${token}`);
    const accept = (username: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/invites/accept',
        payload: { token, username, password: 'invited person passphrase' },
      });
    const weak = await h.app.inject({
      method: 'POST',
      url: '/api/invites/accept',
      payload: { token, username: 'dave', password: 'password' },
    });
    expect(weak.statusCode).toBe(422);
    const first = await accept('dave');
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ username: 'dave', role: 'operator' });
    expect((await accept('dave2')).json().error).toBe('invalid_token');

    const later = await call(h, await admin(), {
      method: 'POST',
      url: '/api/users/invites',
      payload: { role: 'viewer' },
    });
    h.clock.advance(24 * 60 * 60 * 1000 + 1);
    const expired = await h.app.inject({
      method: 'POST',
      url: '/api/invites/accept',
      payload: { token: later.json().token, username: 'erin', password: 'invited person passphrase' },
    });
    expect(expired.json().error).toBe('invalid_token');
  });

  it('makes a demoted user lose rights on their next request', async () => {
    const a = await admin();
    const op = await createUser(h, a, 'frank', 'operator');
    const f = await login(h, 'frank', USER_PASSWORD);
    expect((await call(h, f, { method: 'GET', url: '/api/apikeys' })).statusCode).toBe(200);
    await call(h, a, { method: 'PATCH', url: `/api/users/${op.id}`, payload: { role: 'viewer' } });
    expect((await call(h, f, { method: 'GET', url: '/api/apikeys' })).statusCode).toBe(401);
    const again = await login(h, 'frank', USER_PASSWORD);
    expect((await call(h, again, { method: 'GET', url: '/api/apikeys' })).statusCode).toBe(403);
  });
});
