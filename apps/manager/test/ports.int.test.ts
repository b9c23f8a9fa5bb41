// Detected ports for admins: what hosts report, adopted as new printers (with
// the identity the port showed and a preset's profile), ambiguous ports only
// with confirmation, and bound to an existing printer by assignment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINTER_PRESETS, type DetectedPort } from '@farm/contracts';
import type { PrinterIdentity } from '../src/printers/printers.repository.js';
import { call, type Harness, type Session } from './support/harness.js';
import {
  createHost,
  createPrinter,
  detectedPort as port,
  reportPorts,
  startFarm,
  type HostRef,
} from './support/farm-fixtures.js';

const preset = PRINTER_PRESETS.find((p) => p.id === 'prusa-mk3s');
if (!preset) throw new Error('no prusa-mk3s preset');

type Listed = { hostId: string; hostName: string; reportedAt: number; port: DetectedPort };
type PrinterJson = {
  id: string;
  name: string;
  profile: unknown;
  identity: PrinterIdentity;
};

const ch340 = (n: number): Partial<DetectedPort> => ({
  vendorId: '1a86',
  productId: '7523',
  physicalPath: `pci-0000:00:14.0-usb-0:${n}:1.0`,
});

describe('detected ports and adoption', () => {
  let h: Harness;
  let admin: Session;
  let hostA: HostRef;
  let hostB: HostRef;

  const report = async (host: HostRef, ports: DetectedPort[]) => {
    const res = await reportPorts(h, host.token, ports);
    expect(res.statusCode, res.body).toBe(204);
  };
  const listPorts = async (query = '') => {
    const res = await call(h, admin, { method: 'GET', url: `/api/ports${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ ports: Listed[] }>().ports;
  };
  const adopt = (payload: Record<string, unknown>) =>
    call(h, admin, { method: 'POST', url: '/api/ports/adopt', payload });
  const assign = (payload: Record<string, unknown>) =>
    call(h, admin, { method: 'POST', url: '/api/ports/assign', payload });

  beforeAll(async () => {
    ({ h, admin } = await startFarm());
    hostA = await createHost(h, admin, 'host-a');
    hostB = await createHost(h, admin, 'host-b');
  });
  afterAll(() => h.close());

  it('lists ports waiting for adoption by default and every port with all=true, naming the host', async () => {
    const printer = await adoptOk({ hostId: hostA.id, path: '/dev/ttyACM0', name: 'seed' }, [
      port('/dev/ttyACM0', { kind: 'new' }, { vendorId: '2c99', productId: '0002', serialNumber: 'SEED' }),
    ]);
    await report(hostA, [
      port('/dev/ttyACM0', { kind: 'known', printerId: printer.id }),
      port('/dev/ttyUSB0', { kind: 'new' }, ch340(1)),
      port('/dev/ttyUSB1', { kind: 'ambiguous', candidates: [printer.id], reason: 'no-unique-serial' }, ch340(2)),
    ]);
    await report(hostB, [port('/dev/ttyUSB7')]);

    const waiting = await listPorts();
    expect(waiting.map((p) => `${p.hostName} ${p.port.path}`).sort()).toEqual([
      'host-a /dev/ttyUSB0',
      'host-a /dev/ttyUSB1',
      'host-b /dev/ttyUSB7',
    ]);
    expect(waiting.find((p) => p.port.path === '/dev/ttyUSB0')).toMatchObject({
      hostId: hostA.id,
      port: { match: { kind: 'new' } },
    });
    const all = await listPorts('?all=true');
    expect(all.map((p) => p.port.path).sort()).toEqual([
      '/dev/ttyACM0',
      '/dev/ttyUSB0',
      '/dev/ttyUSB1',
      '/dev/ttyUSB7',
    ]);

    const hosts = (await call(h, admin, { method: 'GET', url: '/api/hosts' })).json<{
      hosts: { name: string; online: boolean }[];
    }>();
    expect(
      hosts.hosts
        .filter((x) => x.online)
        .map((x) => x.name)
        .sort(),
    ).toEqual(['host-a', 'host-b']);
  });

  /** Reports `ports` as host A, then adopts; expects success. */
  async function adoptOk(payload: Record<string, unknown>, ports: DetectedPort[]): Promise<PrinterJson> {
    await report(hostA, ports);
    const res = await adopt({ preset: 'prusa-mk3s', ...payload });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ printer: PrinterJson }>().printer;
  }

  it('adopts a port with a unique serial number: serial, USB ids, device path, host and the preset profile', async () => {
    const printer = await adoptOk({ hostId: hostA.id, path: '/dev/ttyACM1', name: 'mk3s-1' }, [
      port(
        '/dev/ttyACM1',
        { kind: 'new' },
        {
          vendorId: '2c99',
          productId: '0002',
          serialNumber: 'CZPX2419X004XK',
          physicalPath: 'pci-0000:00:14.0-usb-0:3:1.0',
        },
      ),
    ]);
    expect(printer.identity).toEqual({
      hostId: hostA.id,
      devicePath: '/dev/ttyACM1',
      vendorId: '2c99',
      productId: '0002',
      usbSerial: 'CZPX2419X004XK',
      portPath: 'pci-0000:00:14.0-usb-0:3:1.0',
    });
    expect(printer.profile).toEqual(preset.profile);
    const audit = await h.db.selectFrom('audit_log').select('action').where('target', '=', printer.id).execute();
    expect(audit.map((a) => a.action)).toEqual(['ports.adopt']);
  });

  it('adopts twin boards by their physical port path, not the serial they share', async () => {
    const twins = [
      port('/dev/ttyUSB3', { kind: 'new' }, { ...ch340(3), serialNumber: 'A50285BI' }),
      port('/dev/ttyUSB4', { kind: 'new' }, { ...ch340(4), serialNumber: 'A50285BI' }),
    ];
    const printer = await adoptOk({ hostId: hostA.id, path: '/dev/ttyUSB4', name: 'ender-twin' }, twins);
    expect(printer.identity).toMatchObject({
      usbSerial: null,
      portPath: 'pci-0000:00:14.0-usb-0:4:1.0',
      devicePath: '/dev/ttyUSB4',
    });
  });

  it('takes a full profile instead of a preset, and refuses both, neither or an unknown preset', async () => {
    await report(hostA, [port('/dev/ttyUSB5', { kind: 'new' }, ch340(5))]);
    const base = { hostId: hostA.id, path: '/dev/ttyUSB5' };
    for (const extra of [{ preset: 'prusa-mk3s', profile: preset.profile }, {}, { preset: 'no-such-printer' }]) {
      const res = await adopt({ ...base, name: 'bad-adopt', ...extra });
      expect(res.statusCode, JSON.stringify(extra)).toBe(400);
    }
    const profile = { ...preset.profile, model: 'Custom MK3S' };
    const res = await adopt({ ...base, name: 'custom', profile });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ printer: PrinterJson }>().printer.profile).toEqual(profile);
  });

  it('refuses a port that is not reported now, one that belongs to a printer, and an unknown or revoked host', async () => {
    const seed = await adoptOk({ hostId: hostA.id, path: '/dev/ttyACM5', name: 'owner' }, [
      port('/dev/ttyACM5', { kind: 'new' }, { serialNumber: 'OWNER1' }),
    ]);
    await report(hostA, [
      port('/dev/ttyACM5', { kind: 'known', printerId: seed.id }),
      port('/dev/ttyACM6', { kind: 'moved', printerId: seed.id, previousPath: '/dev/ttyACM5' }),
    ]);
    const tries = [
      { path: '/dev/ttyACM9', status: 409 },
      { path: '/dev/ttyACM5', status: 409 },
      { path: '/dev/ttyACM6', status: 409 },
    ];
    for (const t of tries) {
      const res = await adopt({ hostId: hostA.id, path: t.path, name: 'nope', preset: 'prusa-mk3s' });
      expect(res.statusCode, t.path).toBe(t.status);
    }
    const unknown = await adopt({
      hostId: '00000000-0000-4000-8000-000000000000',
      path: '/dev/ttyACM5',
      name: 'nope',
      preset: 'prusa-mk3s',
    });
    expect(unknown.statusCode).toBe(404);

    const revoked = await createHost(h, admin, 'host-revoked');
    await report(revoked, [port('/dev/ttyUSB9')]);
    await call(h, admin, { method: 'POST', url: `/api/hosts/${revoked.id}/revoke` });
    expect((await listPorts()).some((p) => p.hostId === revoked.id)).toBe(false);
    const res = await adopt({ hostId: revoked.id, path: '/dev/ttyUSB9', name: 'nope', preset: 'prusa-mk3s' });
    expect(res.statusCode).toBe(404);
  });

  it('adopts an ambiguous port as a new printer only with confirmation', async () => {
    const other = await adoptOk({ hostId: hostA.id, path: '/dev/ttyUSB6', name: 'maybe-moved' }, [
      port('/dev/ttyUSB6', { kind: 'new' }, ch340(6)),
    ]);
    await report(hostA, [
      port('/dev/ttyUSB8', { kind: 'ambiguous', candidates: [other.id], reason: 'no-unique-serial' }, ch340(8)),
    ]);
    const body = { hostId: hostA.id, path: '/dev/ttyUSB8', name: 'twin-new', preset: 'prusa-mk3s' };
    expect((await adopt(body)).statusCode).toBe(409);
    expect((await adopt({ ...body, confirmAmbiguous: false })).statusCode).toBe(409);
    const res = await adopt({ ...body, confirmAmbiguous: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json<{ printer: PrinterJson }>().printer.identity.portPath).toBe('pci-0000:00:14.0-usb-0:8:1.0');
  });

  it('assigns an ambiguous port to an existing printer: identity and host follow the port', async () => {
    const id = await createPrinter(h, admin, 'wanderer', { hostId: hostB.id, devicePath: '/dev/ttyUSB0' });
    await report(hostA, [port('/dev/ttyUSB10', { kind: 'new' }, ch340(10))]);
    const res = await assign({ hostId: hostA.id, path: '/dev/ttyUSB10', printerId: id });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ printer: PrinterJson }>().printer.identity).toEqual({
      hostId: hostA.id,
      devicePath: '/dev/ttyUSB10',
      vendorId: '1a86',
      productId: '7523',
      usbSerial: null,
      portPath: 'pci-0000:00:14.0-usb-0:10:1.0',
    });
    const audit = await h.db.selectFrom('audit_log').select('action').where('target', '=', id).execute();
    expect(audit.map((a) => a.action)).toContain('ports.assign');
  });

  it('refuses to assign a port known as another printer, an unreported port, or a missing printer', async () => {
    const a = await adoptOk({ hostId: hostA.id, path: '/dev/ttyACM7', name: 'holder' }, [
      port('/dev/ttyACM7', { kind: 'new' }, { serialNumber: 'HOLD1' }),
    ]);
    const b = await adoptOk({ hostId: hostA.id, path: '/dev/ttyACM8', name: 'other' }, [
      port('/dev/ttyACM8', { kind: 'new' }, { serialNumber: 'OTHER1' }),
    ]);
    await report(hostA, [port('/dev/ttyACM7', { kind: 'known', printerId: a.id }), port('/dev/ttyACM9')]);
    expect((await assign({ hostId: hostA.id, path: '/dev/ttyACM7', printerId: b.id })).statusCode).toBe(409);
    expect((await assign({ hostId: hostA.id, path: '/dev/ttyACM7', printerId: a.id })).statusCode).toBe(200);
    expect((await assign({ hostId: hostA.id, path: '/dev/nothing', printerId: a.id })).statusCode).toBe(409);
    const missing = await assign({
      hostId: hostA.id,
      path: '/dev/ttyACM9',
      printerId: '00000000-0000-4000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
  });
});
