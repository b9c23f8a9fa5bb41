import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { outboundPolicy, sniffImage } from '@farm/outbound';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureWithFfmpeg, v4l2Input } from './ffmpeg-capture.js';
import { captureFrame, type Frame } from './frame-source.js';
import { WebcamCapturer } from './webcam-capturer.js';
import { WebcamError, type WebcamErrorCode } from './webcam-error.js';

const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]), Buffer.alloc(32), Buffer.from([0xff, 0xd9])]);
const hasFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0;

let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/snapshot') res.writeHead(200, { 'content-type': 'image/jpeg' }).end(JPEG);
    else res.writeHead(200, { 'content-type': 'image/jpeg' }).end('not a picture');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'farm-webcam-'));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(work: Promise<unknown>): Promise<WebcamErrorCode> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WebcamError)) throw new Error(`expected a WebcamError, got ${String(error)}`);
  return error.code;
}

/** A stand-in executable for ffmpeg that misbehaves in one specific way. */
async function fakeFfmpeg(name: string, script: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `#!/bin/sh\n${script}\n`);
  await chmod(path, 0o755);
  return path;
}

describe('snapshot URL capture', () => {
  const allowed = outboundPolicy({ allow: ['127.0.0.1/32'] });

  it('takes a JPEG from an allowlisted snapshot URL', async () => {
    const frame = await captureFrame({ kind: 'snapshot-url', url: `${base}/snapshot`, policy: allowed }, () => 42);
    expect(frame).toEqual({ bytes: JPEG, mime: 'image/jpeg', at: 42 });
  });

  it('refuses the same URL when its address is not allowlisted', async () => {
    const error = await captureFrame({ kind: 'snapshot-url', url: `${base}/snapshot`, policy: outboundPolicy() }, () => 0).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'fetch-failed', detail: 'address-blocked' });
  });

  it('refuses a body that is not an image', async () => {
    const error = await captureFrame({ kind: 'snapshot-url', url: `${base}/page`, policy: allowed }, () => 0).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'fetch-failed', detail: 'not-an-image' });
  });
});

describe('V4L2 capture through ffmpeg', () => {
  it.each(['/dev/video0; rm -rf /', 'http://10.0.0.1/x.mjpg', '-', '/etc/passwd', '/dev/video0 -i x', '/dev/v4l/by-id/../../sda'])('refuses %j as a device', (device) => {
    expect(() => v4l2Input(device)).toThrow(WebcamError);
  });

  it('accepts device nodes and their udev names', () => {
    expect(v4l2Input('/dev/video2')).toEqual(['-f', 'v4l2', '-i', '/dev/video2']);
    expect(v4l2Input('/dev/v4l/by-id/usb-046d_HD_Pro_Webcam_C920-video-index0')).toHaveLength(4);
  });

  it.skipIf(!hasFfmpeg)('takes one JPEG from an ffmpeg test source (ffmpeg installed)', async () => {
    const frame = await captureWithFfmpeg({ input: ['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=5'] });
    expect(sniffImage(frame)).toBe('jpeg');
    expect(frame.subarray(-2)).toEqual(Buffer.from([0xff, 0xd9]));
  });

  it('reports a missing ffmpeg', async () => {
    expect(await codeOf(captureWithFfmpeg({ input: [], ffmpegPath: join(dir, 'no-such-ffmpeg') }))).toBe('ffmpeg-missing');
  });

  it('kills ffmpeg when it hangs past the deadline', async () => {
    const hanging = await fakeFfmpeg('hang', 'exec sleep 30');
    expect(await codeOf(captureWithFfmpeg({ input: [], ffmpegPath: hanging, timeoutMs: 100 }))).toBe('timeout');
  });

  it('stops reading past the size cap', async () => {
    const flood = await fakeFfmpeg('flood', 'exec head -c 3000000 /dev/zero');
    expect(await codeOf(captureWithFfmpeg({ input: [], ffmpegPath: flood, maxBytes: 1024 * 1024 }))).toBe('too-large');
  });

  it('refuses output that is not a JPEG, and a failing exit', async () => {
    expect(await codeOf(captureWithFfmpeg({ input: [], ffmpegPath: await fakeFfmpeg('text', 'echo hello') }))).toBe('not-an-image');
    expect(await codeOf(captureWithFfmpeg({ input: [], ffmpegPath: await fakeFfmpeg('fail', 'exit 1') }))).toBe('capture-failed');
  });
});

describe('WebcamCapturer', () => {
  it('keeps delivering frames to the sink after a failed capture', async () => {
    const frames: Frame[] = [];
    const errors: unknown[] = [];
    let calls = 0;
    let capturer: WebcamCapturer | undefined = undefined;
    const three = new Promise<void>((resolve) => {
      capturer = new WebcamCapturer({
        capture: () => {
          calls++;
          if (calls === 2) return Promise.reject(new WebcamError('timeout'));
          return captureFrame({ kind: 'snapshot-url', url: `${base}/snapshot`, policy: outboundPolicy({ allow: ['127.0.0.1'] }) }, () => calls);
        },
        sink: (frame) => {
          frames.push(frame);
          if (frames.length === 3) resolve();
          return Promise.resolve();
        },
        onError: (e) => errors.push(e),
        schedule: { intervalMs: 5, watchedIntervalMs: 1, maxBackoffMs: 10 },
      });
      capturer.start();
    });
    await three;
    await capturer!.stop();
    expect(frames.map((f) => f.at)).toEqual([1, 3, 4]);
    expect(errors).toHaveLength(1);
  });
});
