// The port runtime's webcam: frames from a snapshot URL stored with their
// metadata in Redis, and a camera outside the admin's allowed subnets refused.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Value from 'typebox/value';
import { SnapshotMeta, type ControlKey } from '@farm/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../../test/support/test-env.js';
import { randomControlKey, testProfile, testSpec, until } from './testing/runtime-harness.js';
import { startRig, stopRig, type Rig } from './testing/runtime-rig.js';

let env: TestEnv;
let key: ControlKey;

beforeAll(async () => {
  env = await createTestEnv();
  key = randomControlKey();
});

describe('webcam', () => {
  const JPEG = Buffer.concat([
    Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]),
    Buffer.alloc(64, 7),
    Buffer.from([0xff, 0xd9]),
  ]);
  let server: Server;
  let url: string;
  let r: Rig | undefined;

  beforeAll(async () => {
    server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/snapshot`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  afterEach(() => stopRig(r));

  const cameraSpec = (printerId: string, allowed: string[]) =>
    testSpec(printerId, '/dev/null', {
      profile: testProfile({ autoConnect: false, camera: { kind: 'snapshot-url', url, intervalSeconds: 1 } }),
      cameraAllowedSubnets: allowed,
    });

  it('stores a frame from an allowed local camera with its metadata', async () => {
    r = await startRig({ ...env, key }, 'cam-ok', undefined, cameraSpec('cam-ok', ['127.0.0.0/8']));
    const bytes = await until('a snapshot', () =>
      r!.probe.redis.getBuffer(r!.probe.keys.snapshot('cam-ok')).then((b) => b ?? undefined),
    );
    expect(bytes.equals(JPEG)).toBe(true);
    const meta = JSON.parse((await r.probe.redis.get(r.probe.keys.snapshotMeta('cam-ok'))) ?? 'null') as unknown;
    expect(Value.Check(SnapshotMeta, meta)).toBe(true);
    expect(meta).toMatchObject({ mime: 'image/jpeg', bytes: JPEG.length });
    expect(await r.probe.redis.ttl(r.probe.keys.snapshot('cam-ok'))).toBeGreaterThan(0);
    await until('a snapshot event', () => r!.probe.events.some((e) => e.type === 'printer.snapshot'));
    // Nobody asked for a port: the printer stays disconnected.
    expect((await r.probe.state())?.status).toBe('disconnected');
  });

  it('refuses a loopback camera the admin did not allow', async () => {
    r = await startRig({ ...env, key }, 'cam-blocked', undefined, cameraSpec('cam-blocked', []));
    await until('a refused frame', () => r!.logs.some((l) => l.includes('webcam frame failed')));
    expect(await r.probe.redis.exists(r.probe.keys.snapshot('cam-blocked'))).toBe(0);
  });
});
