// GET/PUT /api/settings/camera-network: the subnets webcam snapshot URLs may
// reach. Validation, persistence where the agent API reads it, audit, and the
// step-up a † change needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey, type Caller, type Harness, type Session } from './support/harness.js';
import { addCrew, agentState, createHost, startFarm, stepUp } from './support/farm-fixtures.js';

const MIN = 60_000;
const URL = '/api/settings/camera-network';

describe('camera network setting', () => {
  let h: Harness;
  let admin: Session;
  let adminId: string;
  let operator: Session;
  let viewer: Session;

  const put = (who: Caller, payload: unknown) => call(h, who, { method: 'PUT', url: URL, payload: payload as object });
  const get = (who: Caller) => call(h, who, { method: 'GET', url: URL });
  const stored = async () =>
    h.db.selectFrom('settings').select(['value', 'updated_by']).where('key', '=', 'camera.allowedSubnets').executeTakeFirst();

  beforeAll(async () => {
    ({ h, admin } = await startFarm());
    adminId = admin.userId;
    ({ operator, viewer } = await addCrew(h, admin));
  });
  afterAll(() => h.close());

  it('starts empty: cameras reach nothing beyond the outbound policy until an admin allows a subnet', async () => {
    const res = await get(viewer);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ allowedSubnets: [], updatedAt: null });
    expect(await stored()).toBeUndefined();
  });

  it('stores the canonical list under camera.allowedSubnets, audited, and shows it to readers', async () => {
    const res = await put(admin, { allowedSubnets: ['192.168.50.0/24', '10.20.0.7/16', 'FD12:3456::/48', '127.0.0.1', '192.168.50.9/24'] });
    expect(res.statusCode).toBe(200);
    const expected = ['192.168.50.0/24', '10.20.0.0/16', 'fd12:3456::/48', '127.0.0.1/32'];
    expect(res.json().allowedSubnets).toEqual(expected);
    expect(await stored()).toEqual({ value: expected, updated_by: adminId });
    const read = await get(operator);
    expect(read.json().allowedSubnets).toEqual(expected);
    expect(new Date(read.json().updatedAt).getTime()).toBe(h.clock.t);
    const audit = await h.db
      .selectFrom('audit_log')
      .select(['actor_user_id', 'outcome', 'target'])
      .where('action', '=', 'settings.setCameraNetwork')
      .execute();
    expect(audit).toEqual([{ actor_user_id: adminId, outcome: 'success', target: 'camera.allowedSubnets' }]);
  });

  it('refuses a default route, the metadata address and malformed entries with a clear reason, keeping the list', async () => {
    const before = (await get(admin)).json().allowedSubnets as string[];
    const cases: Array<[string[], RegExp]> = [
      [['0.0.0.0/0'], /0\.0\.0\.0\/0: a default route/],
      [['::/0'], /::\/0: a default route/],
      [['169.254.169.254'], /169\.254\.169\.254: covers a cloud metadata address/],
      [['169.254.0.0/16'], /metadata/],
      [['128.0.0.0/1'], /too broad/],
      [['camera.local'], /camera\.local: not a CIDR block/],
      [['192.168.1.0/24', '10.0.0.0/33'], /10\.0\.0\.0\/33: not a CIDR block/],
    ];
    for (const [allowedSubnets, reason] of cases) {
      const res = await put(admin, { allowedSubnets });
      expect({ allowedSubnets, status: res.statusCode, error: res.json().error }).toEqual({ allowedSubnets, status: 400, error: 'validation_failed' });
      expect(res.json().message).toMatch(reason);
    }
    expect((await get(admin)).json().allowedSubnets).toEqual(before);
  });

  it('refuses extra fields, prototype keys, wrong types and too many entries', async () => {
    for (const body of [
      { allowedSubnets: [], internal: ['10.0.0.0/8'] },
      { allowedSubnets: { '0': '10.0.0.0/8' } },
      { allowedSubnets: [42] },
      {},
      { allowedSubnets: Array.from({ length: 65 }, (_, i) => `10.${i}.0.0/16`) },
      { allowedSubnets: ['1'.repeat(65)] },
    ]) {
      expect((await put(admin, body)).statusCode).toBe(400);
    }
    const polluted = await call(h, admin, {
      method: 'PUT',
      url: URL,
      headers: { 'content-type': 'application/json' },
      payload: '{"allowedSubnets":[],"__proto__":{"admin":true}}',
    });
    expect(polluted.statusCode).toBe(400);
  });

  it('lets operators, viewers, API keys and anonymous callers read or change nothing they may not', async () => {
    expect((await get(null)).statusCode).toBe(401);
    expect((await put(null, { allowedSubnets: [] })).statusCode).toBe(401);
    expect((await put(operator, { allowedSubnets: ['10.0.0.0/8'] })).statusCode).toBe(403);
    expect((await put(viewer, { allowedSubnets: ['10.0.0.0/8'] })).statusCode).toBe(403);
    // Keys cannot step up, so a † route refuses them whatever they hold.
    const { key } = await createKey(h, admin, { name: 'auto', preset: 'automation', permissions: ['settings.read'] });
    expect((await get({ apiKey: key })).statusCode).toBe(200);
    expect((await put({ apiKey: key }, { allowedSubnets: ['10.0.0.0/8'] })).statusCode).toBe(403);
    expect((await stored())?.value).not.toContain('10.0.0.0/8');
  });

  it('needs a fresh step-up: refused once 5 minutes have passed, accepted after re-entering the password', async () => {
    h.clock.advance(5 * MIN + 1000);
    const stale = await put(admin, { allowedSubnets: ['192.168.7.0/24'] });
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error).toBe('step_up_required');
    expect((await get(admin)).statusCode).toBe(200);
    const up = await stepUp(h, admin);
    expect(up.statusCode).toBe(200);
    const res = await put(admin, { allowedSubnets: ['192.168.7.0/24'] });
    expect(res.statusCode).toBe(200);
    expect((await stored())?.value).toEqual(['192.168.7.0/24']);
  });

  it('reaches host agents through the agent state', async () => {
    const { token } = await createHost(h, admin, 'cam-host');
    const state = await agentState(h, token);
    expect(state.statusCode).toBe(200);
    expect(state.json().cameraAllowedSubnets).toEqual(['192.168.7.0/24']);
    expect((await put(admin, { allowedSubnets: [] })).statusCode).toBe(200);
    const cleared = await agentState(h, token);
    expect(cleared.json().cameraAllowedSubnets).toEqual([]);
  });
});
