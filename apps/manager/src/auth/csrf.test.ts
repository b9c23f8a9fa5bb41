import { describe, expect, it } from 'vitest';
import { csrfProblem, isSameOrigin } from './csrf.js';

const ORIGIN = 'https://farm.example.org';

describe('csrf checks', () => {
  it('lets safe methods through without a token', () => {
    expect(csrfProblem('GET', {}, 'tok', ORIGIN)).toBeNull();
  });

  it('needs both the same origin and the session token on unsafe methods', () => {
    expect(csrfProblem('POST', { origin: ORIGIN, 'x-csrf-token': 'tok' }, 'tok', ORIGIN)).toBeNull();
    expect(csrfProblem('POST', { origin: ORIGIN, 'x-csrf-token': 'tok2' }, 'tok', ORIGIN)).toBe('csrf_failed');
    expect(csrfProblem('DELETE', { origin: ORIGIN }, 'tok', ORIGIN)).toBe('csrf_failed');
    expect(
      csrfProblem('POST', { origin: 'https://farm.example.org.evil.net', 'x-csrf-token': 'tok' }, 'tok', ORIGIN),
    ).toBe('csrf_failed');
    expect(csrfProblem('POST', { origin: 'null', 'x-csrf-token': 'tok' }, 'tok', ORIGIN)).toBe('csrf_failed');
    expect(csrfProblem('PATCH', { 'x-csrf-token': 'tok' }, 'tok', ORIGIN)).toBe('csrf_failed');
  });

  it('falls back to Sec-Fetch-Site when the Origin header is absent', () => {
    expect(isSameOrigin({ 'sec-fetch-site': 'same-origin' }, ORIGIN)).toBe(true);
    expect(isSameOrigin({ 'sec-fetch-site': 'same-site' }, ORIGIN)).toBe(false);
    expect(isSameOrigin({}, ORIGIN)).toBe('unknown');
  });
});
