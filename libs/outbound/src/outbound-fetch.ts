// A GET through the outbound policy: resolve once, connect to the pinned
// address (the socket's own lookup returns it, so no second DNS answer can
// redirect us: DNS rebinding), no redirects, one deadline, a byte cap
// enforced while streaming.
import * as http from 'node:http';
import * as https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { OutboundPolicy } from './address-policy.js';
import { OutboundError } from './outbound-error.js';
import { parseTarget, pinAddress, systemResolver, type OutboundTarget, type PinnedAddress, type Resolver } from './outbound-target.js';

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

export type OutboundFetchOptions = {
  readonly policy: OutboundPolicy;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly resolve?: Resolver;
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra CA certificates for https (a camera with its own CA). */
  readonly ca?: string | Buffer;
  readonly signal?: AbortSignal;
};

export type OutboundResponse = { readonly status: number; readonly contentType: string | undefined; readonly body: Buffer };

export async function fetchOutbound(rawUrl: string, options: OutboundFetchOptions): Promise<OutboundResponse> {
  const target = parseTarget(rawUrl);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  const signals = options.signal === undefined ? [deadline.signal] : [deadline.signal, options.signal];
  const signal = AbortSignal.any(signals);
  try {
    const pinned = await raceAbort(pinAddress(target, options.policy, options.resolve ?? systemResolver), signal);
    return await get(target, pinned, options, signal);
  } catch (error) {
    if (error instanceof OutboundError) throw error;
    throw new OutboundError(deadline.signal.aborted ? 'timeout' : 'connect-failed');
  } finally {
    clearTimeout(timer);
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new OutboundError('timeout'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new OutboundError('timeout'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function pinnedLookup(pinned: PinnedAddress): LookupFunction {
  return (_hostname, options, callback) => {
    // Node 20's happy-eyeballs asks for `all`; answer in the shape it asked for.
    if (options.all === true) callback(null, [{ address: pinned.address, family: pinned.family }]);
    else callback(null, pinned.address, pinned.family);
  };
}

function get(target: OutboundTarget, pinned: PinnedAddress, options: OutboundFetchOptions, signal: AbortSignal): Promise<OutboundResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const requestOptions: https.RequestOptions = {
      method: 'GET',
      host: target.host,
      port: target.url.port === '' ? undefined : Number(target.url.port),
      path: `${target.url.pathname}${target.url.search}`,
      headers: { accept: 'image/jpeg, image/png, image/webp', ...options.headers },
      agent: false,
      lookup: pinnedLookup(pinned),
      signal,
      ...(target.protocol === 'https:' ? { servername: target.literal === undefined ? target.host : undefined, ca: options.ca } : {}),
    };
    const request = (target.protocol === 'https:' ? https : http).request(requestOptions, (response) => {
      const status = response.statusCode ?? 0;
      const fail = (code: 'redirect-refused' | 'bad-status' | 'too-large'): void => {
        response.destroy();
        request.destroy();
        reject(new OutboundError(code));
      };
      if (status >= 300 && status < 400) return fail('redirect-refused');
      if (status < 200 || status >= 300) return fail('bad-status');
      const declared = Number(response.headers['content-length'] ?? Number.NaN);
      if (Number.isFinite(declared) && declared > maxBytes) return fail('too-large');
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) return fail('too-large');
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status, contentType: response.headers['content-type'], body: Buffer.concat(chunks) }));
      response.on('error', () => reject(new OutboundError(signal.aborted ? 'timeout' : 'connect-failed')));
    });
    request.on('error', () => reject(new OutboundError(signal.aborted ? 'timeout' : 'connect-failed')));
    request.end();
  });
}
