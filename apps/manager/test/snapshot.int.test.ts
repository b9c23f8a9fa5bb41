// GET /api/printers/:id/snapshot: the latest frame a worker left in Redis,
// served only to callers who may see that printer's camera, and only when the
// bytes are the image their meta says.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveKeys, SnapshotMeta } from '@farm/contracts';
import { call, createKey, type Harness, type Session } from './support/harness.js';
import { addGroup, addUser, defaultGroupId, insertPrinter, startFarm } from './support/farm-fixtures.js';

/** A JFIF-headed frame, as a camera's /snapshot delivers it. */
const JPEG = Buffer.concat([
  Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]),
  Buffer.from('frame body', 'latin1'),
  Buffer.from([0xff, 0xd9]),
]);
/** A real 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const AT = Date.parse('2026-03-01T09:59:58Z');

describe('GET /api/printers/:id/snapshot', () => {
  let h: Harness;
  let keys: LiveKeys;
  let admin: Session;
  let viewer: Session;
  let outsider: Session;
  let operator: Session;
  let defaultGroup: string;
  let otherGroupId: string;
  let n = 0;

  const newPrinter = (groupId = defaultGroup) => insertPrinter(h, `cam-printer-${++n}`, { groupId });

  async function workerSnaps(printerId: string, bytes: Buffer, meta: Partial<SnapshotMeta> | string = {}): Promise<void> {
    const full = typeof meta === 'string' ? meta : JSON.stringify({ printerId, at: AT, mime: 'image/jpeg', bytes: bytes.length, ...meta });
    await h.redis.set(keys.snapshot(printerId), bytes, 'EX', 60);
    await h.redis.set(keys.snapshotMeta(printerId), full, 'EX', 60);
  }

  const snapshot = (who: Parameters<typeof call>[1], printerId: string) =>
    call(h, who, { method: 'GET', url: `/api/printers/${printerId}/snapshot` });

  beforeAll(async () => {
    ({ h, keys, admin } = await startFarm());
    defaultGroup = await defaultGroupId(h);
    otherGroupId = await addGroup(h, 'Resin room');
    viewer = await addUser(h, admin, 'viewer1', 'viewer', [defaultGroup]);
    outsider = await addUser(h, admin, 'outsider', 'viewer', [otherGroupId]);
    operator = await addUser(h, admin, 'oper1', 'operator', [defaultGroup]);
  });
  afterAll(() => h.close());

  it('serves the frame with its type to a viewer of the printer’s group, never cached or sniffed', async () => {
    const id = await newPrinter();
    await workerSnaps(id, JPEG);
    const res = await snapshot(viewer, id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/jpeg');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['last-modified']).toBe(new Date(AT).toUTCString());
    expect(res.rawPayload.equals(JPEG)).toBe(true);
  });

  it('serves a PNG camera as image/png', async () => {
    const id = await newPrinter();
    await workerSnaps(id, PNG, { mime: 'image/png' });
    const res = await snapshot(operator, id);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.rawPayload.equals(PNG)).toBe(true);
  });

  it('marks the printer as watched so its worker snaps faster', async () => {
    const id = await newPrinter();
    expect(await h.redis.exists(keys.snapshotWatchers(id))).toBe(0);
    await workerSnaps(id, JPEG);
    expect((await snapshot(viewer, id)).statusCode).toBe(200);
    expect(await h.redis.get(keys.snapshotWatchers(id))).toBe('1');
    const ttl = await h.redis.ttl(keys.snapshotWatchers(id));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(30);
  });

  it('answers 404 to a user outside the printer’s group, and does not mark it watched', async () => {
    const id = await newPrinter();
    await workerSnaps(id, JPEG);
    const res = await snapshot(outsider, id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('not_found');
    expect(await h.redis.exists(keys.snapshotWatchers(id))).toBe(0);
    // The same answer as for a printer that does not exist at all.
    const none = await snapshot(outsider, '6f1c1f49-5d0a-4c43-9a53-2b0a4a8b6f10');
    expect(none.statusCode).toBe(404);
    expect(none.json().error).toBe('not_found');
  });

  it('lets a viewer of the other group see that group’s camera only', async () => {
    const id = await newPrinter(otherGroupId);
    await workerSnaps(id, JPEG);
    expect((await snapshot(outsider, id)).statusCode).toBe(200);
    expect((await snapshot(viewer, id)).statusCode).toBe(404);
    expect((await snapshot(admin, id)).statusCode).toBe(200);
  });

  it('answers 404 no_snapshot when no frame arrived, and still marks the printer watched', async () => {
    const id = await newPrinter();
    const res = await snapshot(viewer, id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('no_snapshot');
    expect(await h.redis.get(keys.snapshotWatchers(id))).toBe('1');
  });

  it('answers 404 no_snapshot once the frame has expired', async () => {
    const id = await newPrinter();
    await workerSnaps(id, JPEG);
    expect((await snapshot(viewer, id)).statusCode).toBe(200);
    const past = Date.now() - 1000;
    await h.redis.pexpireat(keys.snapshot(id), past);
    await h.redis.pexpireat(keys.snapshotMeta(id), past);
    const res = await snapshot(viewer, id);
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe('no_snapshot');
  });

  it('refuses a frame whose bytes and meta disagree', async () => {
    const html = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
    const cases: Array<[string, Buffer, Partial<SnapshotMeta> | string | null]> = [
      ['JPEG bytes called PNG', JPEG, { mime: 'image/png' }],
      ['PNG bytes called JPEG', PNG, { mime: 'image/jpeg' }],
      ['markup called JPEG', html, { mime: 'image/jpeg' }],
      ['a length that does not match', JPEG, { bytes: JPEG.length + 1 }],
      ['meta of another printer', JPEG, { printerId: 'another-printer' }],
      ['a type outside the contract', JPEG, { mime: 'image/svg+xml' as 'image/jpeg' }],
      ['meta that is not JSON', JPEG, '{"printerId":'],
      ['a frame without meta', JPEG, null],
    ];
    for (const [label, bytes, meta] of cases) {
      const id = await newPrinter();
      if (meta === null) await h.redis.set(keys.snapshot(id), bytes, 'EX', 60);
      else await workerSnaps(id, bytes, meta);
      const res = await snapshot(viewer, id);
      expect({ label, status: res.statusCode, error: res.json().error }).toEqual({ label, status: 404, error: 'no_snapshot' });
    }
    const metaOnly = await newPrinter();
    await h.redis.set(keys.snapshotMeta(metaOnly), JSON.stringify({ printerId: metaOnly, at: AT, mime: 'image/jpeg', bytes: 10 }));
    expect((await snapshot(viewer, metaOnly)).json().error).toBe('no_snapshot');
  });

  it('needs webcam.view: anonymous 401, a key without it 403, a monitor key 200', async () => {
    const id = await newPrinter();
    await workerSnaps(id, JPEG);
    expect((await snapshot(null, id)).statusCode).toBe(401);
    const readOnly = await createKey(h, admin, { name: 'status-only', preset: 'automation', permissions: ['printer.read'] });
    expect((await snapshot({ apiKey: readOnly.key }, id)).statusCode).toBe(403);
    const monitor = await createKey(h, operator, { name: 'wall', preset: 'monitor' });
    const res = await snapshot({ apiKey: monitor.key }, id);
    expect(res.statusCode).toBe(200);
    expect(res.rawPayload.equals(JPEG)).toBe(true);
  });

  it('serves nothing for a retired printer or a malformed id', async () => {
    const id = await newPrinter();
    await workerSnaps(id, JPEG);
    await h.db.updateTable('printers').set({ retired_at: new Date() }).where('id', '=', id).execute();
    expect((await snapshot(admin, id)).statusCode).toBe(404);
    expect((await snapshot(admin, '..%2F..%2Fsnapshot')).statusCode).toBe(400);
  });
});
