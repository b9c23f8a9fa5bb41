import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TINY_JPEG } from '../test/image-server.js';
import { outboundPolicy } from './address-policy.js';
import { fetchImage } from './fetch-image.js';
import { OutboundError } from './outbound-error.js';
import type { Resolver } from './outbound-target.js';

// A camera with its own self-signed certificate for the name camera.test.
const hasOpenssl = spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;

let server: Server | undefined;
let cert = '';
let port = 0;
const dir = mkdtempSync(join(tmpdir(), 'farm-tls-'));

beforeAll(async () => {
  if (!hasOpenssl) return;
  const made = spawnSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=camera.test',
      '-addext', 'subjectAltName=DNS:camera.test', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
    { stdio: 'ignore' },
  );
  if (made.status !== 0) throw new Error('openssl could not make a test certificate');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  server = createServer({ key: readFileSync(join(dir, 'key.pem')), cert }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'image/jpeg' }).end(TINY_JPEG);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  rmSync(dir, { recursive: true, force: true });
});

const policy = outboundPolicy({ allow: ['127.0.0.1/32'] });
const toLoopback: Resolver = () => Promise.resolve(['127.0.0.1']);

describe.skipIf(!hasOpenssl)('https snapshots (openssl installed)', () => {
  it('connects to the pinned address and still verifies the certificate against the host name', async () => {
    const image = await fetchImage(`https://camera.test:${port}/snapshot`, { policy, resolve: toLoopback, ca: cert });
    expect(image.kind).toBe('jpeg');
  });

  it('fails when the certificate does not match the name', async () => {
    const error = await fetchImage(`https://other.test:${port}/snapshot`, { policy, resolve: toLoopback, ca: cert }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundError);
    expect((error as OutboundError).code).toBe('connect-failed');
  });

  it('fails for a certificate no trusted authority signed', async () => {
    const error = await fetchImage(`https://camera.test:${port}/snapshot`, { policy, resolve: toLoopback }).catch((e: unknown) => e);
    expect((error as OutboundError).code).toBe('connect-failed');
  });
});
