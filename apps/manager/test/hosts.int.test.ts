// Hosts through the admin API: a token shown once, rotation and revocation
// refuse the old token at once, names unique regardless of case, audit rows;
// and the local host that LOCAL_HOST_TOKEN registers at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { buildApp } from '../src/app.js';
import { newHostToken } from '../src/hosts/host-token.js';
import { call, startHarness, TEST_HASH_COST, type Harness, type Session } from './support/harness.js';
import { agentState, createHost, startFarm, stepUp, type HostJson } from './support/farm-fixtures.js';

describe('hosts API', () => {
  let h: Harness;
  let admin: Session;

  const listHosts = async () => {
    const res = await call(h, admin, { method: 'GET', url: '/api/hosts' });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ hosts: HostJson[] }>().hosts;
  };

  beforeAll(async () => {
    ({ h, admin } = await startFarm());
  });
  afterAll(() => h.close());

  it('creates a host whose token is shown once and stored only as a hash', async () => {
    const { host, token } = await createHost(h, admin, 'rack-1');
    expect(token).toMatch(new RegExp(HOST_TOKEN_PATTERN));
    expect(host).toMatchObject({ name: 'rack-1', online: false, revokedAt: null, lastSeenAt: null });

    const listed = await call(h, admin, { method: 'GET', url: '/api/hosts' });
    expect(listed.body).not.toContain(token);
    expect(listed.json<{ hosts: HostJson[] }>().hosts.map((x) => x.name)).toContain('rack-1');
    const row = await h.db.selectFrom('hosts').selectAll().where('id', '=', host.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(token.slice(12));
    expect(row.token_prefix).toBe(token.slice(3, 11));

    const state = await agentState(h, token);
    expect(state.statusCode, state.body).toBe(200);
    expect(state.json()).toMatchObject({ hostId: host.id, hostName: 'rack-1' });
    expect((await listHosts()).find((x) => x.id === host.id)?.lastSeenAt).not.toBeNull();
  });

  it('refuses a second host with the same name in another case', async () => {
    await createHost(h, admin, 'Rack-Dup');
    const res = await call(h, admin, { method: 'POST', url: '/api/hosts', payload: { name: 'rack-dup' } });
    expect(res.statusCode).toBe(409);
  });

  it('refuses names with control characters or slashes, and unknown fields', async () => {
    for (const payload of [{ name: 'a/b' }, { name: 'x\u0000' }, { name: '' }, { name: 'ok', token: 'fh_x' }]) {
      const res = await call(h, admin, { method: 'POST', url: '/api/hosts', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('rotates the token: the new one works, the old one is refused at once', async () => {
    const { host, token: oldToken } = await createHost(h, admin, 'rack-rotate');
    const res = await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/rotate-token` });
    expect(res.statusCode, res.body).toBe(200);
    const { token: newToken } = res.json<{ token: string }>();
    expect(newToken).not.toBe(oldToken);
    expect((await agentState(h, oldToken)).statusCode).toBe(401);
    expect((await agentState(h, newToken)).statusCode).toBe(200);
  });

  it('revokes a host: its token is refused, it cannot be rotated back, revoking again keeps the first time', async () => {
    const { host, token } = await createHost(h, admin, 'rack-revoke');
    const first = await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/revoke` });
    expect(first.statusCode, first.body).toBe(200);
    const revokedAt = first.json<{ host: HostJson }>().host.revokedAt;
    expect(revokedAt).not.toBeNull();
    expect((await agentState(h, token)).statusCode).toBe(401);

    const again = await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/revoke` });
    expect(again.json<{ host: HostJson }>().host.revokedAt).toBe(revokedAt);
    const rotate = await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/rotate-token` });
    expect(rotate.statusCode).toBe(409);
    expect((await agentState(h, token)).statusCode).toBe(401);
  });

  it('answers 404 for a host that does not exist', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    expect((await call(h, admin, { method: 'POST', url: `/api/hosts/${id}/rotate-token` })).statusCode).toBe(404);
    expect((await call(h, admin, { method: 'POST', url: `/api/hosts/${id}/revoke` })).statusCode).toBe(404);
  });

  it('audits creation, rotation and revocation with the host as target', async () => {
    const { host } = await createHost(h, admin, 'rack-audit');
    await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/rotate-token` });
    await call(h, admin, { method: 'POST', url: `/api/hosts/${host.id}/revoke` });
    const rows = await h.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_name'])
      .where('target', '=', host.id)
      .orderBy('id')
      .execute();
    expect(rows).toEqual([
      { action: 'hosts.create', outcome: 'success', actor_name: 'admin' },
      { action: 'hosts.rotateToken', outcome: 'success', actor_name: 'admin' },
      { action: 'hosts.revoke', outcome: 'success', actor_name: 'admin' },
    ]);
  });

  // Last in this block: it moves the clock past the step-up window.
  it('needs a recent password entry to see, create or change hosts', async () => {
    const { host } = await createHost(h, admin, 'rack-step-up');
    h.clock.advance(6 * 60_000);
    for (const options of [
      { method: 'GET', url: '/api/hosts' },
      { method: 'POST', url: '/api/hosts', payload: { name: 'rack-late' } },
      { method: 'POST', url: `/api/hosts/${host.id}/rotate-token` },
      { method: 'POST', url: `/api/hosts/${host.id}/revoke` },
    ] as const) {
      const res = await call(h, admin, options);
      expect(res.statusCode, options.url).toBe(403);
      expect(res.json<{ error: string }>().error).toBe('step_up_required');
    }
    const up = await stepUp(h, admin);
    expect(up.statusCode, up.body).toBe(200);
    expect((await listHosts()).find((x) => x.id === host.id)?.revokedAt).toBeNull();
  });
});

describe('local host from LOCAL_HOST_TOKEN', () => {
  const first = newHostToken().token;
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({ env: { LOCAL_HOST_TOKEN: first } });
  });
  afterAll(() => h.close());

  const localHosts = () =>
    h.db.selectFrom('hosts').select(['id', 'token_prefix']).where('name', '=', 'local').execute();
  const startManager = async (token: string) => {
    const app = await buildApp({
      config: { ...h.config, localHostToken: token },
      db: h.db,
      redis: h.redis,
      hashCost: TEST_HASH_COST,
    });
    await app.close();
  };

  it('registers the host `local` with that token at start', async () => {
    const rows = await localHosts();
    expect(rows).toHaveLength(1);
    expect((await agentState(h, first)).json()).toMatchObject({ hostName: 'local', gateOpen: false });
  });

  it('is idempotent, also when several managers start at once on a database without it', async () => {
    await h.db.deleteFrom('hosts').where('name', '=', 'local').execute();
    await Promise.all([startManager(first), startManager(first), startManager(first)]);
    const rows = await localHosts();
    expect(rows).toHaveLength(1);
    await startManager(first);
    expect(await localHosts()).toEqual(rows);
    expect((await agentState(h, first)).statusCode).toBe(200);
  });

  it('replaces the token of an existing `local` host, keeping the host', async () => {
    const [before] = await localHosts();
    const second = newHostToken().token;
    await startManager(second);
    const after = await localHosts();
    expect(after.map((r) => r.id)).toEqual([before?.id]);
    expect((await agentState(h, first)).statusCode).toBe(401);
    expect((await agentState(h, second)).statusCode).toBe(200);
  });
});
