// RFC 6238 TOTP (SHA-1, 6 digits, 30 s, ±1 step) and recovery codes. A code
// is accepted once: the used time step is remembered in Redis.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { Secret, TOTP } from 'otpauth';
import type { Clock } from '../clock.js';
import { sha256 } from './secret-tokens.js';

const PERIOD = 30;
const ISSUER = 'Print farm';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secret: string, label: string): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD,
  });
}

export function otpauthUrl(secret: string, username: string): string {
  return totpFor(secret, username).toString();
}

/** The current code; for tests and the CLI. */
export function totpCode(secret: string, at: Date): string {
  return totpFor(secret, 'x').generate({ timestamp: at.getTime() });
}

/** A recovery code: 10 base32 characters in two groups, e.g. ABCDE-FGHIJ. */
export function newRecoveryCodes(count = 10): string[] {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export function hashRecoveryCode(code: string): string {
  return sha256(
    code
      .trim()
      .toUpperCase()
      .replace(/[^A-Z0-9]/g, ''),
  );
}

export type TotpVerifier = ReturnType<typeof createTotpVerifier>;

export function createTotpVerifier(redis: Redis, prefix: string, clock: Clock) {
  return {
    /** True once per valid code and user; replays of the same step fail. */
    async verify(userId: string, secret: string, code: string): Promise<boolean> {
      const token = code.replace(/\s/g, '');
      if (!/^[0-9]{6}$/.test(token)) return false;
      const now = clock.now().getTime();
      const delta = totpFor(secret, 'x').validate({ token, timestamp: now, window: 1 });
      if (delta === null) return false;
      const step = Math.floor(now / 1000 / PERIOD) + delta;
      const fresh = await redis.set(`${prefix}totp-used:${userId}:${step}`, '1', 'EX', PERIOD * 4, 'NX');
      return fresh === 'OK';
    },
  };
}
