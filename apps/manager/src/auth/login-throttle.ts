// Failed sign-ins counted in Redis, arranged so that guessing stays slow but
// nobody can lock a person out just by knowing their username:
// - per (account, address) pair, a tight limit: one address guessing one
//   account is stopped quickly;
// - per address, across accounts: one address spraying many accounts;
// - per account, across addresses: a distributed guess. Past a soft count
//   each failure imposes a growing wait (2 s, 4 s, 8 s ... up to the window),
//   and past a much higher count the account is closed for the window, but
//   both only for addresses that have never signed in to that account. An
//   address with a recent successful sign-in to the account, and not itself
//   throttled, still gets in with the right password.
// Over a limit the answer is 429 with Retry-After, whether or not the
// password is right.
import type { Redis } from 'ioredis';
import { AppError } from '../errors/app-error.js';

export interface ThrottleLimits {
  /** Failures per (account, address) pair in a window. */
  perPair: number;
  /** Failures per client address, any account, in a window. */
  perAddress: number;
  /** Account-wide failures after which unknown addresses must wait longer and longer. */
  accountDelayAfter: number;
  /** Account-wide failures after which unknown addresses are refused until the window ends. */
  perAccount: number;
  windowSeconds: number;
  /** How long a successful sign-in makes its address known to the account. */
  knownAddressSeconds: number;
}

export const DEFAULT_THROTTLE: ThrottleLimits = {
  perPair: 5,
  perAddress: 20,
  accountDelayAfter: 10,
  perAccount: 100,
  windowSeconds: 15 * 60,
  knownAddressSeconds: 30 * 24 * 3600,
};

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;

/** Wait after the n-th account-wide failure: doubles from 2 s past the soft limit, capped at the window. */
export function accountDelaySeconds(failures: number, limits: ThrottleLimits): number {
  const over = failures - limits.accountDelayAfter;
  if (over <= 0) return 0;
  return Math.min(2 ** Math.min(over, 30), limits.windowSeconds);
}

export function createLoginThrottle(redis: Redis, prefix: string, overrides: Partial<ThrottleLimits> = {}) {
  const limits: ThrottleLimits = { ...DEFAULT_THROTTLE, ...overrides };
  const account = (username: string) => username.toLowerCase();
  const keys = (username: string, ip: string) => ({
    pair: `${prefix}login-fail:pair:${account(username)}:${ip}`,
    address: `${prefix}login-fail:ip:${ip}`,
    account: `${prefix}login-fail:user:${account(username)}`,
    delay: `${prefix}login-delay:user:${account(username)}`,
    known: `${prefix}login-known:${account(username)}:${ip}`,
  });

  /** Seconds until `key` expires, at least 1 (a key without TTL counts as the whole window). */
  const secondsLeft = (ttl: number) => (ttl > 0 ? ttl : limits.windowSeconds);

  return {
    /** Throws too_many_requests with retryAfter when this attempt may not be tried now. */
    async assertAllowed(username: string, ip: string): Promise<void> {
      const k = keys(username, ip);
      const replies = await redis
        .multi()
        .get(k.pair)
        .ttl(k.pair)
        .get(k.address)
        .ttl(k.address)
        .get(k.account)
        .ttl(k.account)
        .pttl(k.delay)
        .exists(k.known)
        .exec();
      const [pair, pairTtl, address, addressTtl, accountCount, accountTtl, delayMs, known] = (replies ?? []).map(
        ([, value]) => Number(value ?? 0),
      );
      let wait = 0;
      if ((pair ?? 0) >= limits.perPair) wait = Math.max(wait, secondsLeft(pairTtl ?? 0));
      if ((address ?? 0) >= limits.perAddress) wait = Math.max(wait, secondsLeft(addressTtl ?? 0));
      if (known !== 1) {
        if ((accountCount ?? 0) >= limits.perAccount) wait = Math.max(wait, secondsLeft(accountTtl ?? 0));
        if ((delayMs ?? 0) > 0) wait = Math.max(wait, Math.ceil((delayMs ?? 0) / 1000));
      }
      if (wait > 0) throw new AppError('too_many_requests', { retryAfter: wait, detail: 'login throttled' });
    },

    async recordFailure(username: string, ip: string): Promise<void> {
      const k = keys(username, ip);
      const multi = redis.multi();
      for (const key of [k.pair, k.address, k.account]) {
        multi.incr(key);
        multi.expire(key, limits.windowSeconds, 'NX');
      }
      const replies = await multi.exec();
      // The account counter's INCR is the fifth command.
      const failures = Number(replies?.[4]?.[1] ?? 0);
      const delay = accountDelaySeconds(failures, limits);
      if (delay > 0) await redis.set(k.delay, '1', 'EX', delay);
    },

    /** Clears this pair's count (not the account's: an attack elsewhere goes on) and remembers the address. */
    async recordSuccess(username: string, ip: string): Promise<void> {
      const k = keys(username, ip);
      await redis.multi().del(k.pair).set(k.known, '1', 'EX', limits.knownAddressSeconds).exec();
    },
  };
}
