import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { ControlCommand, ControlResult, type ControlRequest } from './control.js';
import { canonicalJson, controlKey, MemoryNonceStore, newNonce, signControl, verifyControl, verifyControlText } from './control-signing.js';

const SECRET = 'Pk9Lm2Nb7Vc4Xz1Qw8Er5Ty3Ui6Op0As2Df';
const key = controlKey(SECRET);
const NOW = 1_800_000_000_000;

function request(overrides: Partial<ControlRequest> = {}): ControlRequest {
  return {
    v: 1,
    id: 'req_0001abcd',
    printerId: 'printer-7',
    issuedAt: NOW,
    nonce: newNonce(),
    issuedBy: { userId: 'u1', role: 'operator' },
    command: { kind: 'set-temperature', heater: 'T0', targetC: 210 },
    ...overrides,
  };
}

const verify = (message: unknown, nonces = new MemoryNonceStore(), now = NOW) => verifyControl(message, { key, now, nonces });

describe('control signing', () => {
  it('accepts a request signed with the same secret', () => {
    const signed = signControl(request(), key);
    expect(verify(signed)).toEqual({ ok: true, request: request({ nonce: signed.nonce }) });
  });

  it('accepts it after a JSON round trip with keys in another order', () => {
    const signed = signControl(request(), key);
    const reordered = Object.fromEntries(Object.entries(signed).reverse());
    expect(verifyControlText(JSON.stringify(reordered), { key, now: NOW, nonces: new MemoryNonceStore() }).ok).toBe(true);
  });

  it('refuses a request whose target temperature was changed in transit', () => {
    const signed = signControl(request(), key);
    expect(verify({ ...signed, command: { kind: 'set-temperature', heater: 'T0', targetC: 300 } })).toEqual({ ok: false, code: 'bad-signature' });
  });

  it('refuses a request redirected to another printer', () => {
    expect(verify({ ...signControl(request(), key), printerId: 'printer-8' })).toEqual({ ok: false, code: 'bad-signature' });
  });

  it('refuses a signature made with another secret', () => {
    const other = controlKey('another-secret-that-is-long-enough-123456');
    expect(verify(signControl(request(), other))).toEqual({ ok: false, code: 'bad-signature' });
  });

  it('refuses a truncated or non-hex signature as malformed', () => {
    const signed = signControl(request(), key);
    expect(verify({ ...signed, signature: signed.signature.slice(0, 62) }).ok).toBe(false);
    expect(verify({ ...signed, signature: 'zz'.repeat(32) })).toEqual({ ok: false, code: 'malformed' });
  });

  it('refuses a replayed request', () => {
    const nonces = new MemoryNonceStore();
    const signed = signControl(request(), key);
    expect(verify(signed, nonces).ok).toBe(true);
    expect(verify(signed, nonces)).toEqual({ ok: false, code: 'replayed' });
  });

  it('refuses stale requests and requests from the future', () => {
    expect(verify(signControl(request({ issuedAt: NOW - 31_000 }), key))).toEqual({ ok: false, code: 'stale' });
    expect(verify(signControl(request({ issuedAt: NOW + 6_000 }), key))).toEqual({ ok: false, code: 'stale' });
    expect(verify(signControl(request({ issuedAt: NOW - 29_000 }), key)).ok).toBe(true);
  });

  it('forgets nonces once they are too old to pass anyway', () => {
    const nonces = new MemoryNonceStore();
    verify(signControl(request(), key), nonces);
    verify(signControl(request({ issuedAt: NOW + 60_000 }), key), nonces, NOW + 60_000);
    expect(nonces.size).toBe(1);
  });

  it('does not record nonces of unsigned junk', () => {
    const nonces = new MemoryNonceStore();
    verify({ ...signControl(request(), key), signature: '0'.repeat(64) }, nonces);
    expect(nonces.size).toBe(0);
  });

  it('refuses extra fields, prototype keys and bad JSON', () => {
    const signed = signControl(request(), key);
    expect(verify({ ...signed, admin: true })).toEqual({ ok: false, code: 'malformed' });
    const polluted = `{"__proto__":{"admin":true},${JSON.stringify(signed).slice(1)}`;
    expect(verifyControlText(polluted, { key, now: NOW, nonces: new MemoryNonceStore() })).toEqual({ ok: false, code: 'malformed' });
    expect(verifyControlText('{"v":1', { key, now: NOW, nonces: new MemoryNonceStore() })).toEqual({ ok: false, code: 'malformed' });
  });

  it('signs an emergency stop for all printers', () => {
    const signed = signControl(request({ printerId: '*', command: { kind: 'emergency-stop' } }), key);
    expect(verify(signed).ok).toBe(true);
  });

  it('refuses a short secret', () => {
    expect(() => controlKey('short')).toThrow();
  });

  it('canonicalises nested keys in sorted order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[2,{"y":2,"z":1}]},"b":1}');
  });
});

describe('control commands', () => {
  it.each([
    { kind: 'connect' },
    { kind: 'home', axes: ['x', 'y'] },
    { kind: 'jog', x: 10, feedrate: 3000 },
    { kind: 'extrude', tool: 0, amountMm: -2 },
    { kind: 'fan', index: 0, speed: 0.5 },
    { kind: 'terminal', line: 'M105' },
  ])('accepts %o', (command) => {
    expect(Value.Check(ControlCommand, command)).toBe(true);
  });

  it.each([
    { kind: 'terminal', line: 'M105\nM104 S300' },
    { kind: 'terminal', line: '' },
    { kind: 'set-temperature', heater: 'T0', targetC: -5 },
    { kind: 'set-temperature', heater: 'X', targetC: 200 },
    { kind: 'jog', x: 5000 },
    { kind: 'home', axes: ['x', 'x'] },
    { kind: 'fan', index: 0, speed: 255 },
    { kind: 'reboot' },
  ])('refuses %o', (command) => {
    expect(Value.Check(ControlCommand, command)).toBe(false);
  });

  it('describes results with a stable error code', () => {
    const result = { requestId: 'req_0001abcd', printerId: 'printer-7', at: NOW, outcome: { ok: false, code: 'refused-by-safety', message: 'above the hotend limit' } };
    expect(Value.Check(ControlResult, result)).toBe(true);
    expect(Value.Check(ControlResult, { ...result, outcome: { ok: false, code: 'oops', message: '' } })).toBe(false);
  });
});
