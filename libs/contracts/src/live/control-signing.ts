// HMAC-SHA256 signatures on control requests, so a worker acts only on what
// the manager sent: Redis is not trusted. The key is derived from the
// job-signing secret with a purpose label, so a control signature can never
// pass as a job signature or the other way round.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Value from 'typebox/value';
import { SignedControl, type ControlRequest } from './control.js';

export const CONTROL_MAX_AGE_MS = 30_000;
/** Clock skew tolerated between manager and worker hosts. */
export const CONTROL_MAX_FUTURE_MS = 5_000;

export type ControlKey = { readonly bytes: Buffer };

export function controlKey(jobSigningSecret: string): ControlKey {
  if (jobSigningSecret.length < 32) throw new Error('the job-signing secret is too short');
  return { bytes: createHmac('sha256', jobSigningSecret).update('farm.control.v1').digest() };
}

/**
 * The control key of one host: each host agent receives only its own (at
 * registration, over its host token), so a compromised host cannot sign
 * commands for printers on another host.
 */
export function hostControlKey(jobSigningSecret: string, hostId: string): ControlKey {
  const base = controlKey(jobSigningSecret);
  return { bytes: createHmac('sha256', base.bytes).update(`host:${hostId}`).digest() };
}

export function controlKeyToHex(key: ControlKey): string {
  return key.bytes.toString('hex');
}

export function controlKeyFromHex(hex: string): ControlKey {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error('a control key is 64 hex digits');
  return { bytes: Buffer.from(hex, 'hex') };
}

/** JSON with object keys sorted at every level, so both sides sign the same bytes. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

function mac(key: ControlKey, request: ControlRequest): Buffer {
  return createHmac('sha256', key.bytes).update(canonicalJson(request)).digest();
}

export function newNonce(): string {
  return randomBytes(16).toString('hex');
}

export function signControl(request: ControlRequest, key: ControlKey): SignedControl {
  return { ...request, signature: mac(key, request).toString('hex') };
}

/** Remembers nonces until they could no longer pass the age check anyway. */
export interface NonceStore {
  /** Records the nonce; false if it was already recorded (a replay). */
  remember(nonce: string, expiresAt: number, now: number): boolean;
}

export class MemoryNonceStore implements NonceStore {
  readonly #seen = new Map<string, number>();

  remember(nonce: string, expiresAt: number, now: number): boolean {
    for (const [n, expiry] of this.#seen) if (expiry <= now) this.#seen.delete(n);
    if (this.#seen.has(nonce)) return false;
    this.#seen.set(nonce, expiresAt);
    return true;
  }

  get size(): number {
    return this.#seen.size;
  }
}

export type VerifyFailure = 'malformed' | 'bad-signature' | 'stale' | 'replayed';
export type VerifyResult = { readonly ok: true; readonly request: ControlRequest } | { readonly ok: false; readonly code: VerifyFailure };

export type VerifyOptions = {
  readonly key: ControlKey;
  readonly now: number;
  readonly nonces: NonceStore;
  readonly maxAgeMs?: number;
};

/**
 * Checks shape, then signature (constant time), then age, and only then
 * records the nonce, so unsigned junk cannot fill the nonce store.
 */
export function verifyControl(message: unknown, options: VerifyOptions): VerifyResult {
  if (!Value.Check(SignedControl, message)) return { ok: false, code: 'malformed' };
  const { signature, ...request } = message;
  const given = Buffer.from(signature, 'hex');
  const expected = mac(options.key, request);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, code: 'bad-signature' };
  const maxAge = options.maxAgeMs ?? CONTROL_MAX_AGE_MS;
  const age = options.now - request.issuedAt;
  if (age > maxAge || age < -CONTROL_MAX_FUTURE_MS) return { ok: false, code: 'stale' };
  if (!options.nonces.remember(request.nonce, request.issuedAt + maxAge + CONTROL_MAX_FUTURE_MS, options.now)) return { ok: false, code: 'replayed' };
  return { ok: true, request };
}

/** Parses a stream or channel payload and verifies it; bad JSON is just malformed. */
export function verifyControlText(text: string, options: VerifyOptions): VerifyResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, code: 'malformed' };
  }
  return verifyControl(parsed, options);
}
