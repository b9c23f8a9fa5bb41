// Printer groups: admins create, rename and delete them; a group that still
// holds printers cannot be deleted; only users.manage may change them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, type Harness, type Session } from './support/harness.js';
import { addUser, createPrinter, startFarm } from './support/farm-fixtures.js';

describe('printer groups API', () => {
  let h: Harness;
  let admin: Session;
  let operator: Session;

  beforeAll(async () => {
    ({ h, admin } = await startFarm());
    operator = await addUser(h, admin, 'ops1', 'operator');
  });
  afterAll(() => h.close());

  it('creates, renames and lists groups, refusing duplicate names', async () => {
    const created = await call(h, admin, { method: 'POST', url: '/api/printer-groups', payload: { name: 'Lab 2' } });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();
    const duplicate = await call(h, admin, { method: 'POST', url: '/api/printer-groups', payload: { name: 'Lab 2' } });
    expect(duplicate.statusCode).toBe(409);
    const renamed = await call(h, admin, { method: 'PATCH', url: `/api/printer-groups/${id}`, payload: { name: 'Lab Two' } });
    expect(renamed.json()).toEqual({ id, name: 'Lab Two' });
    const list = await call(h, admin, { method: 'GET', url: '/api/printer-groups' });
    expect(list.json<{ groups: { name: string }[] }>().groups.map((g) => g.name)).toEqual(['Default', 'Lab Two']);
    const audit = await h.db.selectFrom('audit_log').select(['target', 'outcome']).where('action', '=', 'printerGroups.create').orderBy('id').execute();
    expect(audit).toEqual([
      { target: id, outcome: 'success' },
      { target: null, outcome: 'failure' },
    ]);
  });

  it('refuses names that are not plain text and callers without users.manage', async () => {
    const bad = await call(h, admin, { method: 'POST', url: '/api/printer-groups', payload: { name: '<b>x</b>' } });
    expect(bad.statusCode).toBe(400);
    const denied = await call(h, operator, { method: 'POST', url: '/api/printer-groups', payload: { name: 'Mine' } });
    expect(denied.statusCode).toBe(403);
  });

  it('deletes an empty group but not one that holds printers', async () => {
    const group = (await call(h, admin, { method: 'POST', url: '/api/printer-groups', payload: { name: 'Busy' } })).json<{ id: string }>();
    await createPrinter(h, admin, 'In busy', {}, { groupId: group.id });
    expect((await call(h, admin, { method: 'DELETE', url: `/api/printer-groups/${group.id}` })).statusCode).toBe(409);

    const empty = (await call(h, admin, { method: 'POST', url: '/api/printer-groups', payload: { name: 'Empty' } })).json<{ id: string }>();
    expect((await call(h, admin, { method: 'DELETE', url: `/api/printer-groups/${empty.id}` })).statusCode).toBe(204);
    expect((await call(h, admin, { method: 'DELETE', url: `/api/printer-groups/${empty.id}` })).statusCode).toBe(404);
  });
});
