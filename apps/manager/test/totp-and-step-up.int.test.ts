import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../src/auth/totp.js';
import { createTotpSecrets } from '../src/auth/totp-secrets.js';
import { createSecretBox, SecretBoxError } from '../src/crypto/secret-box.js';
import { createFarmCommands } from '../src/cli/farm-commands.js';
import {
  ADMIN_PASSWORD,
  call,
  completeSetup,
  login,
  startHarness,
  TEST_HASH_COST,
  type Harness,
  type Session,
} from './support/harness.js';

const MIN = 60 * 1000;

describe('TOTP required for admins, and step-up', () => {
  let h: Harness;
  let secret = '';
  let recoveryCodes: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_TOTP_REQUIRED: 'true' } });
    await completeSetup(h);
  });
  afterAll(() => h.close());

  const loginWith = (extra: Record<string, string>) =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD, ...extra },
    });

  it('limits an admin without TOTP to enrolling it', async () => {
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    const users = await call(h, s, { method: 'GET', url: '/api/users' });
    expect(users.statusCode).toBe(403);
    expect(users.json().error).toBe('totp_enrollment_required');
    const session = await call(h, s, { method: 'GET', url: '/api/auth/session' });
    expect(session.json().totpEnrollmentRequired).toBe(true);

    const enrol = await call(h, s, {
      method: 'POST',
      url: '/api/auth/totp/enroll',
      payload: { password: ADMIN_PASSWORD },
    });
    expect(enrol.statusCode).toBe(200);
    secret = enrol.json<{ secret: string; otpauthUrl: string }>().secret;
    expect(enrol.json().otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    const bad = await call(h, s, { method: 'POST', url: '/api/auth/totp/confirm', payload: { code: '000000' } });
    expect(bad.statusCode).toBe(401);
    const ok = await call(h, s, {
      method: 'POST',
      url: '/api/auth/totp/confirm',
      payload: { code: totpCode(secret, h.clock.now()) },
    });
    expect(ok.statusCode).toBe(200);
    recoveryCodes = ok.json<{ recoveryCodes: string[] }>().recoveryCodes;
    expect(recoveryCodes).toHaveLength(10);
    expect((await call(h, s, { method: 'GET', url: '/api/users' })).statusCode).toBe(200);
  });

  it('keeps the TOTP secret encrypted in the database, bound to its user', async () => {
    const row = await h.db
      .selectFrom('users')
      .select(['id', 'totp_secret'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1:[A-Za-z0-9_-]+$/);
    expect(row.totp_secret).not.toContain(secret);
    const dump = JSON.stringify(await h.db.selectFrom('users').selectAll().execute());
    expect(dump).not.toContain(secret);
    // Copied onto another account, the sealed value does not open there.
    const totpSecrets = createTotpSecrets(
      createSecretBox({ current: 'v1', secrets: { v1: h.config.dataEncryptionKey } }),
    );
    expect(totpSecrets.open(row.id, row.totp_secret ?? '')).toBe(secret);
    expect(() => totpSecrets.open(randomUUID(), row.totp_secret ?? '')).toThrow(SecretBoxError);
  });

  it('asks for the code at sign-in, refuses a wrong one and a replayed one', async () => {
    h.clock.advance(2 * MIN);
    const noCode = await loginWith({});
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().error).toBe('totp_required');
    expect(noCode.cookies).toEqual([]);
    expect((await loginWith({ totp: '123456' })).json().error).toBe('invalid_credentials');
    const code = totpCode(secret, h.clock.now());
    expect((await loginWith({ totp: code })).statusCode).toBe(200);
    expect((await loginWith({ totp: code })).statusCode).toBe(401);
  });

  it('accepts each recovery code once', async () => {
    const code = recoveryCodes[0] ?? '';
    expect((await loginWith({ recoveryCode: code })).statusCode).toBe(200);
    expect((await loginWith({ recoveryCode: code })).statusCode).toBe(401);
    expect((await loginWith({ recoveryCode: (recoveryCodes[1] ?? '').toLowerCase() })).statusCode).toBe(200);
  });

  it('needs password and code again for a † action once 5 minutes have passed', async () => {
    h.clock.advance(2 * MIN);
    const res = await loginWith({ totp: totpCode(secret, h.clock.now()) });
    const s: Session = {
      cookie: `farm_session=${res.cookies.find((c) => c.name === 'farm_session')?.value}`,
      csrfToken: res.json().csrfToken,
      userId: res.json().user.id,
    };
    const create = () =>
      call(h, s, {
        method: 'POST',
        url: '/api/users',
        payload: { username: `u${h.clock.t}`, password: 'operator-Passphrase-9731', role: 'viewer' },
      });
    expect((await create()).statusCode).toBe(201);
    h.clock.advance(5 * MIN + 1000);
    const stale = await create();
    expect(stale.statusCode).toBe(403);
    expect(stale.json().error).toBe('step_up_required');
    // Non-† reads are unaffected.
    expect((await call(h, s, { method: 'GET', url: '/api/users' })).statusCode).toBe(200);
    const passwordOnly = await call(h, s, {
      method: 'POST',
      url: '/api/auth/step-up',
      payload: { password: ADMIN_PASSWORD },
    });
    expect(passwordOnly.statusCode).toBe(401);
    expect(passwordOnly.json().error).toBe('totp_required');
    const wrongPassword = await call(h, s, {
      method: 'POST',
      url: '/api/auth/step-up',
      payload: { password: 'not-my-password-1', totp: totpCode(secret, h.clock.now()) },
    });
    expect(wrongPassword.statusCode).toBe(401);
    const up = await call(h, s, {
      method: 'POST',
      url: '/api/auth/step-up',
      payload: { password: ADMIN_PASSWORD, totp: totpCode(secret, h.clock.now()) },
    });
    expect(up.statusCode).toBe(200);
    expect((await create()).statusCode).toBe(201);
  });

  it('seals a secret left in plain text by an older version at start, and sign-in still takes its codes', async () => {
    const sealed = await h.db
      .selectFrom('users')
      .select('totp_secret')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    await h.db.updateTable('users').set({ totp_secret: secret }).where('username', '=', 'admin').execute();
    h.clock.advance(2 * MIN);
    expect((await loginWith({ totp: totpCode(secret, h.clock.now()) })).statusCode).toBe(200);
    expect(await h.app.services.resealTotpSecrets()).toEqual({ resealed: 1, unreadable: 0 });
    expect(await h.app.services.resealTotpSecrets()).toEqual({ resealed: 0, unreadable: 0 });
    const row = await h.db
      .selectFrom('users')
      .select('totp_secret')
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(row.totp_secret).toMatch(/^v1:/);
    expect(row.totp_secret).not.toBe(sealed.totp_secret);
    h.clock.advance(2 * MIN);
    expect((await loginWith({ totp: totpCode(secret, h.clock.now()) })).statusCode).toBe(200);
  });

  it('lets the CLI turn TOTP off for someone who lost their authenticator', async () => {
    const lines: string[] = [];
    const commands = createFarmCommands(h.db, { allowFirmwareFlash: false }, { hashCost: TEST_HASH_COST });
    await commands.userResetTotp({ username: 'admin' }, { out: (l) => lines.push(l), readPassword: async () => '' });
    const res = await loginWith({});
    expect(res.statusCode).toBe(200);
    const s = await login(h, 'admin', ADMIN_PASSWORD);
    expect((await call(h, s, { method: 'GET', url: '/api/users' })).json().error).toBe('totp_enrollment_required');
  });
});
