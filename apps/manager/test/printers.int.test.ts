// Printers in Postgres through the admin API: create, edit, retire, group scope, caps and audit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterProfile } from '@farm/contracts';
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

const MIN = 60_000;

const profile = (): PrinterProfile => ({
  model: 'Prusa MK3S',
  bed: { kind: 'rectangular', widthMm: 250, depthMm: 210, origin: 'front-left' },
  heightMm: 210,
  nozzleDiameterMm: 0.4,
  heaters: { hotendsMaxC: [300], bedMaxC: 120 },
  firmware: 'prusa',
  baudRate: 115200,
  flowControl: 'window',
  receiveBufferBytes: 128,
  scripts: { start: 'G28\nG1 Z5 F3000', cancel: 'M104 S0\nM140 S0' },
  material: { type: 'PETG', colour: 'orange' },
  tags: ['bench-1'],
  camera: { kind: 'snapshot-url', url: 'http://cam.local/snapshot', intervalSeconds: 10 },
});

describe('printers API', () => {
  let h: Harness;
  let admin: Session;
  let operator: Session;
  let viewer: Session;
  let otherGroupId: string;
  let n = 0;
  const uniqueName = () => `printer-${++n}`;

  const create = (body: Record<string, unknown>, as: Session = admin) =>
    call(h, as, { method: 'POST', url: '/api/printers', payload: body });

  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
    admin = await login(h, 'admin', ADMIN_PASSWORD);
    const other = await h.db
      .insertInto('printer_groups')
      .values({ name: 'Lab B' })
      .returning('id')
      .executeTakeFirstOrThrow();
    otherGroupId = other.id;
    await createUser(h, admin, 'oper1', 'operator');
    await createUser(h, admin, 'viewer1', 'viewer');
    operator = await login(h, 'oper1', USER_PASSWORD);
    viewer = await login(h, 'viewer1', USER_PASSWORD);
  });
  afterAll(() => h.close());

  it('creates a printer in the Default group and shows it to a viewer of that group', async () => {
    const res = await create({
      name: 'MK3S bench 1',
      identity: { usbSerial: 'CZPX1234', vendorId: '2c99', productId: '0002', devicePath: '/dev/ttyACM0' },
      profile: profile(),
    });
    expect(res.statusCode).toBe(201);
    const { printer } = res.json<{ printer: { id: string; enabled: boolean; identity: { usbSerial: string } } }>();
    expect(printer.enabled).toBe(true);
    expect(printer.identity.usbSerial).toBe('CZPX1234');

    const one = await call(h, viewer, { method: 'GET', url: `/api/printers/${printer.id}` });
    expect(one.statusCode).toBe(200);
    expect(one.json().printer.profile).toEqual(profile());
    const list = await call(h, viewer, { method: 'GET', url: '/api/printers' });
    expect(list.json().printers.map((p: { id: string }) => p.id)).toContain(printer.id);
  });

  it('answers 404 for a printer outside the caller’s groups and leaves it out of the list', async () => {
    const res = await create({ name: uniqueName(), groupId: otherGroupId, profile: profile() });
    expect(res.statusCode).toBe(201);
    const id = res.json().printer.id as string;
    expect((await call(h, viewer, { method: 'GET', url: `/api/printers/${id}` })).statusCode).toBe(404);
    const list = await call(h, operator, { method: 'GET', url: '/api/printers' });
    expect(list.json().printers.map((p: { id: string }) => p.id)).not.toContain(id);
    expect((await call(h, admin, { method: 'GET', url: `/api/printers/${id}` })).statusCode).toBe(200);
  });

  it('refuses create, edit and retire to operators and viewers', async () => {
    const id = (await create({ name: uniqueName(), profile: profile() })).json().printer.id as string;
    for (const who of [operator, viewer]) {
      expect((await create({ name: uniqueName(), profile: profile() }, who)).statusCode).toBe(403);
      const patch = await call(h, who, { method: 'PATCH', url: `/api/printers/${id}`, payload: { enabled: false } });
      expect(patch.statusCode).toBe(403);
      expect((await call(h, who, { method: 'POST', url: `/api/printers/${id}/retire` })).statusCode).toBe(403);
    }
  });

  it('refuses an API key without printer.manage', async () => {
    const { key } = await createKey(h, admin, {
      name: 'auto',
      preset: 'automation',
      permissions: ['printer.read'],
    });
    const res = await call(h, { apiKey: key }, { method: 'POST', url: '/api/printers', payload: {} });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a profile without heater caps, naming the missing field', async () => {
    const { heaters: _dropped, ...withoutCaps } = profile();
    const res = await create({ name: uniqueName(), profile: withoutCaps });
    expect(res.statusCode).toBe(400);
    expect(res.json().error).toBe('validation_failed');
    expect(res.json().message).toMatch(/heaters/);
  });

  it('refuses caps above the bounds (hotend 451 °C, bed 151 °C) and accepts the bounds themselves', async () => {
    const hot = { ...profile(), heaters: { hotendsMaxC: [451], bedMaxC: 100 } };
    expect((await create({ name: uniqueName(), profile: hot })).statusCode).toBe(400);
    const bed = { ...profile(), heaters: { hotendsMaxC: [260], bedMaxC: 151 } };
    expect((await create({ name: uniqueName(), profile: bed })).statusCode).toBe(400);
    const noTools = { ...profile(), heaters: { hotendsMaxC: [], bedMaxC: 100 } };
    expect((await create({ name: uniqueName(), profile: noTools })).statusCode).toBe(400);
    const edge = { ...profile(), heaters: { hotendsMaxC: [450, 450], bedMaxC: 150, chamberMaxC: 60 } };
    expect((await create({ name: uniqueName(), profile: edge })).statusCode).toBe(201);
  });

  it('refuses bad names, over-long scripts and unknown fields (no mass assignment)', async () => {
    expect((await create({ name: '', profile: profile() })).statusCode).toBe(400);
    expect((await create({ name: 'bad\nname', profile: profile() })).statusCode).toBe(400);
    const longScript = { ...profile(), scripts: { start: 'G28\n'.repeat(3000) } };
    expect((await create({ name: uniqueName(), profile: longScript })).statusCode).toBe(400);
    for (const extra of [{ id: '00000000-0000-4000-8000-000000000000' }, { retiredAt: '2026-01-01T00:00:00Z' }]) {
      const res = await create({ name: uniqueName(), profile: profile(), ...extra });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toMatch(/unknown field/);
    }
    const sneaky = { ...profile(), heaters: { hotendsMaxC: [260], bedMaxC: 100, unlimited: true } };
    expect((await create({ name: uniqueName(), profile: sneaky })).statusCode).toBe(400);
  });

  it('refuses a duplicate name regardless of case', async () => {
    expect((await create({ name: 'Ender Twin', profile: profile() })).statusCode).toBe(201);
    const again = await create({ name: 'ender twin', profile: profile() });
    expect(again.statusCode).toBe(409);
  });

  it('edits the profile and name, and writes audit rows naming the printer', async () => {
    const id = (await create({ name: uniqueName(), profile: profile() })).json().printer.id as string;
    const edited = { ...profile(), heaters: { hotendsMaxC: [280], bedMaxC: 110 }, tags: ['moved'] };
    const res = await call(h, admin, {
      method: 'PATCH',
      url: `/api/printers/${id}`,
      payload: { name: 'Renamed MK3S', profile: edited, enabled: false },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().printer).toMatchObject({ name: 'Renamed MK3S', enabled: false, profile: edited });
    const actions = await h.db
      .selectFrom('audit_log')
      .select(['action', 'outcome', 'actor_name'])
      .where('target', '=', id)
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'printers.create', outcome: 'success', actor_name: 'admin' },
      { action: 'printers.update', outcome: 'success', actor_name: 'admin' },
    ]);
  });

  it('retires a printer: it leaves the list, refuses edits, and retiring again keeps the first time', async () => {
    const id = (await create({ name: uniqueName(), profile: profile() })).json().printer.id as string;
    const retired = await call(h, admin, { method: 'POST', url: `/api/printers/${id}/retire` });
    expect(retired.statusCode).toBe(200);
    const first = retired.json().printer.retiredAt as string;
    expect(first).toBeTruthy();
    expect(retired.json().printer.enabled).toBe(false);
    const list = await call(h, admin, { method: 'GET', url: '/api/printers' });
    expect(list.json().printers.map((p: { id: string }) => p.id)).not.toContain(id);
    const edit = await call(h, admin, { method: 'PATCH', url: `/api/printers/${id}`, payload: { enabled: true } });
    expect(edit.statusCode).toBe(409);
    h.clock.advance(1000);
    const again = await call(h, admin, { method: 'POST', url: `/api/printers/${id}/retire` });
    expect(again.json().printer.retiredAt).toBe(first);
    const audit = await h.db.selectFrom('audit_log').select('action').where('target', '=', id).execute();
    expect(audit.map((r) => r.action)).toContain('printers.retire');
  });

  it('asks for a fresh step-up once five minutes have passed since sign-in', async () => {
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    h.clock.advance(5 * MIN + 1000);
    const res = await create({ name: uniqueName(), profile: profile() }, s);
    expect(res.statusCode).toBe(403);
    expect(res.json().error).toBe('step_up_required');
    admin = await login(h, 'admin', ADMIN_PASSWORD);
  });

  it('refuses an unknown printer group', async () => {
    const res = await create({
      name: uniqueName(),
      groupId: '00000000-0000-4000-8000-000000000000',
      profile: profile(),
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('printer presets', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('lists the four presets, each a profile the create route accepts as submitted', async () => {
    await completeSetup(h);
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    const res = await call(h, admin, { method: 'GET', url: '/api/printer-presets' });
    expect(res.statusCode).toBe(200);
    const presets = res.json<{ presets: Array<{ id: string; profile: PrinterProfile }> }>().presets;
    expect(presets.map((p) => p.id)).toEqual(['prusa-mk3s', 'creality-ender-3', 'klipper-pty', 'reprapfirmware']);
    for (const preset of presets) {
      const created = await call(h, admin, {
        method: 'POST',
        url: '/api/printers',
        payload: { name: `from ${preset.id}`, profile: preset.profile },
      });
      expect(created.statusCode).toBe(201);
    }
  });
});
