// The live farm end to end: manager, host agent, port workers and virtual
// printers on real pseudo-terminals, through the API and the WebSocket feed.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createUser, login, USER_PASSWORD, type Session } from '../../apps/manager/test/support/harness.js';
import { openLive, startFarm, startVpProcess, waitFor, type Farm, type VpProcess } from './support/farm.js';

type PortView = { hostId: string; path: string; match: { kind: string; printerId?: string; candidates?: string[] } };
type PrinterView = {
  id: string;
  groupId: string;
  identity: { devicePath: string | null; usbSerial: string | null };
  live?: { status: string; heaters?: { heater: string; actualC: number; targetC: number }[] };
};
type HostStatusView = { workers: { printerId: string; pid?: number; restarts: number }[] };

const VP_ARGS = ['--flavor', 'marlin', '--advanced-ok', '--emergency-parser', '--baud', '0', '--latency-ms', '1', '--time-scale', '20'];

function portsOf(body: unknown): PortView[] {
  return (body as { ports: { hostId: string; port: Omit<PortView, 'hostId'> }[] }).ports.map((p) => ({ hostId: p.hostId, ...p.port }));
}

describe('the live farm', () => {
  let farm: Farm;
  let printerId: string;
  let vp: VpProcess;
  const printers: VpProcess[] = [];

  const printer = async (session: Session = farm.admin) => (await farm.api<{ printer: PrinterView }>(session, 'GET', `/api/printers/${printerId}`)).body.printer;
  const status = async () => (await printer()).live?.status;
  const detail = () => farm.agentOutput();

  beforeAll(async () => {
    farm = await startFarm();
    vp = await startVpProcess(VP_ARGS);
    printers.push(vp);
    await farm.setPorts([{ path: vp.address, serialNumber: 'E2E-PRINTER-1', vendorId: '2c99', productId: '0002' }]);
  }, 60_000);

  afterAll(async () => {
    await farm?.close();
    for (const p of printers) await p.kill();
  });

  it('shows a detected port, adopts it, connects and reports state and temperatures live', async () => {
    const port = await waitFor(
      'the detected port',
      async () => portsOf((await farm.api(farm.admin, 'GET', '/api/ports')).body).find((p) => p.path === vp.address),
      20_000,
      detail,
    );
    expect(port.match.kind).toBe('new');
    const adopted = await farm.api<{ printer: PrinterView }>(farm.admin, 'POST', '/api/ports/adopt', {
      hostId: port.hostId,
      path: port.path,
      name: 'E2E MK3S',
      preset: 'prusa-mk3s',
    });
    expect(adopted.status).toBe(201);
    printerId = adopted.body.printer.id;
    expect(adopted.body.printer.identity.usbSerial).toBe('E2E-PRINTER-1');

    const live = await openLive(farm, farm.admin);
    await live.next('the snapshot', (m) => m.type === 'snapshot');
    // Auto-connect (the preset's default) or an explicit connect: either way the printer comes up idle.
    await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/connection`, { action: 'connect' });
    await live.next('the printer idle', (m) => m.type === 'printer.state' && (m.state as { status: string }).status === 'idle', 30_000);
    await live.next('a temperature sample', (m) => m.type === 'printer.temperature' && (m.sample as { printerId: string }).printerId === printerId);
    expect(await status()).toBe('idle');
    live.close();
  });

  it('runs controls and terminal lines and returns their results', async () => {
    const heat = await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/control`, { kind: 'set-temperature', heater: 'B', targetC: 60 });
    expect(heat.status).toBe(200);
    await waitFor('the bed target', async () => ((await printer()).live?.heaters?.find((x) => x.heater === 'B')?.targetC === 60 ? true : undefined));

    expect((await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/control`, { kind: 'home', axes: [] })).status).toBe(200);
    expect((await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/control`, { kind: 'jog', x: 10, y: -5, feedrate: 3000 })).status).toBe(200);

    const m115 = await farm.api<{ output?: string[] }>(farm.admin, 'POST', `/api/printers/${printerId}/terminal`, { line: 'M115' });
    expect(m115.status).toBe(200);
    expect((m115.body.output ?? []).join('\n')).toContain('FIRMWARE_NAME');

    const temps = await farm.api<{ samples: unknown[] }>(farm.admin, 'GET', `/api/printers/${printerId}/temperatures`);
    expect(temps.status).toBe(200);
    const samples = temps.body.samples;
    expect(samples.length).toBeGreaterThan(0);
  });

  it('refuses over-limit temperatures through every path, and viewers and other groups cannot control', async () => {
    const overControl = await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/control`, { kind: 'set-temperature', heater: 'T0', targetC: 301 });
    expect(overControl.status).toBe(422);
    for (const line of ['M104 S301', 'M104 S3.01e2', 'M140 S121', 'M109 T0 R400']) {
      const res = await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/terminal`, { line });
      expect({ line, status: res.status }).toEqual({ line, status: 422 });
    }

    const viewerUser = await createUser(farm.h, farm.admin, 'viewer-e2e', 'viewer');
    const viewer = await login(farm.h, 'viewer-e2e', USER_PASSWORD);
    expect(viewerUser.id).toBe(viewer.userId);
    expect((await farm.api(viewer, 'POST', `/api/printers/${printerId}/control`, { kind: 'home', axes: [] })).status).toBe(403);
    expect((await farm.api(viewer, 'POST', `/api/printers/${printerId}/terminal`, { line: 'M115' })).status).toBe(403);

    // A user of another group: 404 for the printer, and none of its frames on the feed.
    const group = await farm.api<{ id: string }>(farm.admin, 'POST', '/api/printer-groups', { name: 'Other room' });
    expect(group.status).toBe(201);
    await createUser(farm.h, farm.admin, 'outsider', 'operator', [group.body.id]);
    const outsider = await login(farm.h, 'outsider', USER_PASSWORD);
    expect((await farm.api(outsider, 'GET', `/api/printers/${printerId}`)).status).toBe(404);
    expect((await farm.api(outsider, 'POST', `/api/printers/${printerId}/control`, { kind: 'home', axes: [] })).status).toBe(404);
    const outsiderFeed = await openLive(farm, outsider);
    const adminFeed = await openLive(farm, farm.admin);
    await adminFeed.next('a temperature of the printer', (m) => m.type === 'printer.temperature');
    await adminFeed.next('another temperature of the printer', (m) => m.type === 'printer.temperature');
    const mentions = outsiderFeed.messages.filter((m) => JSON.stringify(m).includes(printerId));
    expect(mentions).toEqual([]);
    outsiderFeed.close();
    adminFeed.close();
  });

  it('serves webcam frames to users who may see the printer, and only from allowed addresses', async () => {
    const frame = execFileSync('ffmpeg', ['-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=160x120', '-frames:v', '1', '-f', 'image2', '-c:v', 'mjpeg', 'pipe:1']);
    let hits = 0;
    const camera = createServer((_req, res) => {
      hits++;
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(frame);
    });
    await new Promise<void>((resolve) => camera.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(camera.address() as AddressInfo).port}/snapshot`;
      const current = await farm.api<{ printer: { profile: Record<string, unknown> } }>(farm.admin, 'GET', `/api/printers/${printerId}`);
      const edited = await farm.api(farm.admin, 'PATCH', `/api/printers/${printerId}`, {
        profile: { ...current.body.printer.profile, camera: { kind: 'snapshot-url', url, intervalSeconds: 1 } },
      });
      expect(edited.status).toBe(200);
      // Loopback is an internal address: refused until an admin allows it.
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      expect(hits).toBe(0);
      expect((await farm.api(farm.admin, 'GET', `/api/printers/${printerId}/snapshot`)).status).toBe(404);

      const allowed = await farm.api(farm.admin, 'PUT', '/api/settings/camera-network', { allowedSubnets: ['127.0.0.0/8'] });
      expect(allowed.status).toBe(200);
      const viewer = await login(farm.h, 'viewer-e2e', USER_PASSWORD);
      const served = await waitFor('a webcam frame', async () => {
        const res = await call(farm.h, viewer, { method: 'GET', url: `/api/printers/${printerId}/snapshot` });
        return res.statusCode === 200 ? res : undefined;
      }, 30_000, detail);
      expect(served.headers['content-type']).toBe('image/jpeg');
      expect(Buffer.compare(served.rawPayload, frame)).toBe(0);
      const outsider = await login(farm.h, 'outsider', USER_PASSWORD);
      expect((await farm.api(outsider, 'GET', `/api/printers/${printerId}/snapshot`)).status).toBe(404);
    } finally {
      camera.close();
    }
    // The camera change restarted the worker: wait for the printer before the next test.
    await waitFor('the printer idle again', async () => ((await status()) === 'idle' ? true : undefined), 30_000, detail);
  });

  it('puts the emergency stop on the wire ahead of queued lines', async () => {
    // A long dwell holds the firmware; the moves queued behind it must never run.
    const dwell = farm.api(farm.admin, 'POST', `/api/printers/${printerId}/terminal`, { line: 'G4 S30' });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const queued = [1, 2, 3].map((i) => farm.api(farm.admin, 'POST', `/api/printers/${printerId}/control`, { kind: 'jog', x: i, feedrate: 1200 }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const stop = await farm.api<{ printers: number }>(farm.admin, 'POST', `/api/printers/${printerId}/emergency-stop`, {});
    expect(stop.status).toBe(202);
    await waitFor('the printer halted', async () => ((await status()) === 'halted' ? true : undefined));
    await Promise.allSettled([dwell, ...queued]);
    const { executed } = await vp.stop();
    const dwellAt = executed.lastIndexOf('G4 S30');
    expect(dwellAt).toBeGreaterThanOrEqual(0);
    // The emergency parser acts on M112 the moment it arrives (it never enters the command queue).
    expect(executed.slice(dwellAt + 1)).toEqual([]);
  });

  it('shows the printer offline within seconds when its port vanishes, and recognises it on another path', async () => {
    // vp was stopped above: its pseudo-terminal is gone.
    await waitFor('the printer offline or disconnected', async () => {
      const s = await status();
      return s === 'offline' || s === 'disconnected' ? s : undefined;
    });
    const again = await startVpProcess(VP_ARGS);
    printers.push(again);
    vp = again;
    await farm.setPorts([{ path: again.address, serialNumber: 'E2E-PRINTER-1', vendorId: '2c99', productId: '0002' }]);
    await waitFor('the printer on its new path', async () => ((await printer()).identity.devicePath === again.address ? true : undefined), 20_000, detail);
    await farm.api(farm.admin, 'POST', `/api/printers/${printerId}/connection`, { action: 'connect' });
    await waitFor('the printer idle again', async () => ((await status()) === 'idle' ? true : undefined), 30_000, detail);
    const printersNow = (await farm.api<{ printers: PrinterView[] }>(farm.admin, 'GET', '/api/printers')).body;
    expect(printersNow.printers.map((p) => p.id)).toEqual([printerId]);
  });

  it('flags two boards that claim the same identity instead of guessing', async () => {
    const twin = await startVpProcess(VP_ARGS);
    printers.push(twin);
    await farm.setPorts([
      { path: vp.address, serialNumber: 'E2E-PRINTER-1', vendorId: '2c99', productId: '0002' },
      { path: twin.address, serialNumber: 'E2E-PRINTER-1', vendorId: '2c99', productId: '0002' },
    ]);
    const flagged = await waitFor('the ambiguous ports', async () => {
      const ports = portsOf((await farm.api(farm.admin, 'GET', '/api/ports?all=true')).body);
      const ambiguous = ports.filter((p) => p.match.kind === 'ambiguous');
      return ambiguous.length === 2 ? ambiguous : undefined;
    });
    expect(flagged.every((p) => (p.match.candidates ?? []).includes(printerId))).toBe(true);
    // No worker drives either board while the identity is in doubt.
    await waitFor('the worker stopped', async () => {
      const s = await status();
      return s === 'offline' ? s : undefined;
    });
    await farm.setPorts([{ path: vp.address, serialNumber: 'E2E-PRINTER-1', vendorId: '2c99', productId: '0002' }]);
    await twin.kill();
  });

  it('restarts a killed port worker, and a killed agent leaves the printers offline and the rest working', async () => {
    const hostStatus = async () => {
      const raw = await farm.h.redis.get(`${farm.h.config.redisPrefix}host:${farm.hostId}:status`);
      return raw === null ? undefined : (JSON.parse(raw) as HostStatusView);
    };
    // The previous case stopped and restarted this printer's worker: the host status may still
    // name the stopped one until the agent's next report, so wait for a pid that is alive.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const worker = await waitFor(
      'a running worker',
      async () => (await hostStatus())?.workers.find((w) => w.printerId === printerId && w.pid !== undefined && alive(w.pid)),
      20_000,
      detail,
    );
    process.kill(worker.pid as number, 'SIGKILL');
    await waitFor('the restarted worker', async () => {
      const w = (await hostStatus())?.workers.find((x) => x.printerId === printerId);
      return w && w.restarts >= 1 && w.pid !== undefined && w.pid !== worker.pid ? w : undefined;
    }, 30_000, detail);

    await farm.killAgent();
    await waitFor('the printer offline', async () => ((await status()) === 'offline' ? true : undefined), 30_000);
    const health = await farm.api(null, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect((await farm.api(farm.admin, 'GET', '/api/printers')).status).toBe(200);
  });
});
