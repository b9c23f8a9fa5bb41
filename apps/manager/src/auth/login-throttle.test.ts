import { describe, expect, it } from 'vitest';
import { accountDelaySeconds, DEFAULT_THROTTLE } from './login-throttle.js';

describe('account-wide sign-in delay', () => {
  it('imposes no wait up to the soft limit, then doubles it per failure up to the window', () => {
    const limits = { ...DEFAULT_THROTTLE, accountDelayAfter: 10, windowSeconds: 900 };
    expect(accountDelaySeconds(10, limits)).toBe(0);
    expect([11, 12, 13, 14].map((n) => accountDelaySeconds(n, limits))).toEqual([2, 4, 8, 16]);
    expect(accountDelaySeconds(20, limits)).toBe(900);
    expect(accountDelaySeconds(10_000, limits)).toBe(900);
  });
});
