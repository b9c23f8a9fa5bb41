import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startImageServer, TINY_JPEG, type TestServer } from '../test/image-server.js';
import { outboundPolicy } from './address-policy.js';
import { fetchImage } from './fetch-image.js';
import { fetchOutbound } from './outbound-fetch.js';
import { OutboundError, type OutboundErrorCode } from './outbound-error.js';
import type { Resolver } from './outbound-target.js';

let server: TestServer;
beforeAll(async () => {
  server = await startImageServer();
});
afterAll(async () => {
  await server.close();
});

// The test server lives on loopback, so tests must allow it explicitly: this
// is also the proof that an allowlist entry opens a blocked class.
const loopbackAllowed = outboundPolicy({ allow: ['127.0.0.1/32'] });
const closed = outboundPolicy();

async function codeOf(work: Promise<unknown>): Promise<OutboundErrorCode> {
  try {
    await work;
  } catch (error) {
    if (error instanceof OutboundError) return error.code;
    throw error;
  }
  throw new Error('expected the request to be refused');
}

describe('fetchImage', () => {
  it('fetches a JPEG snapshot from an allowlisted camera', async () => {
    const image = await fetchImage(`${server.base}/snapshot`, { policy: loopbackAllowed });
    expect(image).toEqual({ kind: 'jpeg', mime: 'image/jpeg', bytes: TINY_JPEG });
  });

  it('refuses a body that only claims to be an image', async () => {
    expect(await codeOf(fetchImage(`${server.base}/lying-html`, { policy: loopbackAllowed }))).toBe('not-an-image');
  });
});

describe('fetchOutbound refuses', () => {
  it.each([
    'http://127.0.0.1:PORT/snapshot',
    'http://2130706433:PORT/snapshot',
    'http://0x7f.1:PORT/snapshot',
    'http://0177.0.0.1:PORT/snapshot',
    'http://127.1:PORT/snapshot',
    'http://[::ffff:127.0.0.1]:PORT/snapshot',
    'http://[::1]:PORT/snapshot',
    'http://localhost:PORT/snapshot',
    'http://localhost.:PORT/snapshot',
    'http://cam.localhost:PORT/snapshot',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://0.0.0.0:PORT/snapshot',
    'http://[::]:PORT/snapshot',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
  ])('%s when loopback is not allowlisted, without touching the server', async (template) => {
    const before = server.hits.length;
    const url = template.replace('PORT', String(server.port));
    expect(await codeOf(fetchOutbound(url, { policy: closed }))).toBe('address-blocked');
    expect(server.hits.length).toBe(before);
  });

  it.each([
    ['file:///etc/passwd', 'scheme-not-allowed'],
    ['ftp://192.168.1.5/x.jpg', 'scheme-not-allowed'],
    ['gopher://127.0.0.1:6379/_INFO', 'scheme-not-allowed'],
    ['not a url', 'invalid-url'],
    ['http://admin:secret@192.168.1.5/snapshot', 'credentials-in-url'],
  ] as const)('%s (%s)', async (url, code) => {
    expect(await codeOf(fetchOutbound(url, { policy: loopbackAllowed }))).toBe(code);
  });

  it('a redirect, even to an allowed address', async () => {
    expect(await codeOf(fetchOutbound(`${server.base}/redirect`, { policy: loopbackAllowed }))).toBe('redirect-refused');
  });

  it('an error status', async () => {
    expect(await codeOf(fetchOutbound(`${server.base}/missing`, { policy: loopbackAllowed }))).toBe('bad-status');
  });

  it('a body whose declared length is over the cap', async () => {
    expect(await codeOf(fetchOutbound(`${server.base}/huge-declared`, { policy: loopbackAllowed }))).toBe('too-large');
  });

  it('a body that grows past the cap while streaming', async () => {
    const code = await codeOf(fetchOutbound(`${server.base}/huge-streamed`, { policy: loopbackAllowed, maxBytes: 1024 * 1024 }));
    expect(code).toBe('too-large');
  });

  it('a server that stalls past the deadline', async () => {
    expect(await codeOf(fetchOutbound(`${server.base}/stall`, { policy: loopbackAllowed, timeoutMs: 200 }))).toBe('timeout');
  });

  it('a name that resolves to a blocked address among allowed ones', async () => {
    const resolve: Resolver = () => Promise.resolve(['192.168.1.5', '127.0.0.1']);
    const policy = outboundPolicy({ allow: ['192.168.1.0/24'] });
    expect(await codeOf(fetchOutbound('http://camera.example/snapshot', { policy, resolve }))).toBe('address-blocked');
  });

  it('a name that does not resolve, with a generic error', async () => {
    const resolve: Resolver = () => Promise.reject(new Error('getaddrinfo ENOTFOUND redis.internal (10.0.0.7)'));
    const error = await fetchOutbound('http://redis.internal/', { policy: loopbackAllowed, resolve }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboundError);
    expect((error as OutboundError).code).toBe('dns-failed');
    expect((error as OutboundError).message).not.toContain('10.0.0.7');
  });
});

describe('DNS pinning', () => {
  it('resolves a name once and connects to that address, whatever a second answer would be', async () => {
    let calls = 0;
    // A rebinding resolver: allowed address first, metadata afterwards.
    const resolve: Resolver = () => Promise.resolve([calls++ === 0 ? '127.0.0.1' : '169.254.169.254']);
    const url = `http://camera.example:${server.port}/snapshot`;
    const image = await fetchImage(url, { policy: loopbackAllowed, resolve });
    expect(image.kind).toBe('jpeg');
    expect(calls).toBe(1);
  });
});
