import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './index.js';
import { secretProblem } from './secret-strength.js';

const GOOD = {
  DATABASE_URL: 'postgres://farm@127.0.0.1:5432/farm',
  REDIS_URL: 'redis://127.0.0.1:6379',
  SESSION_SECRET: 'Zq3v9Lk2Xw8Rt5Yp1Nm7Bc4Hd6Gf0Js2Ua',
  JOB_SIGNING_SECRET: 'Pk9Lm2Nb7Vc4Xz1Qw8Er5Ty3Ui6Op0As2Df',
  DATA_ENCRYPTION_KEY: 'Wd4Rf7Tg2Yh9Uj6Ik1Ol3Pz8Xc5Vb0Nm4Qa',
};

function issuesOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig({ DATA_DIR: mkdtempSync(path.join(tmpdir(), 'cfg-')), ...env }, { generateSecrets: false });
  } catch (error) {
    if (error instanceof ConfigError) return Object.fromEntries(error.issues.map((i) => [i.variable, i.problem]));
    throw error;
  }
  return {};
}

describe('manager config', () => {
  it('lists every wrong variable at once', () => {
    const issues = issuesOf({
      DATABASE_URL: 'mysql://nope',
      PORT: '99999',
      LOG_LEVEL: 'loud',
      TRUSTED_PROXIES: '10.0.0.0/8, not-an-ip',
      SESSION_SECRET: 'changeme',
      JOB_SIGNING_SECRET: 'short',
      DATA_ENCRYPTION_KEY: 'changeme',
      ADMIN_TOTP_REQUIRED: 'yes',
      PUBLIC_URL: 'ftp://x',
    });
    expect(Object.keys(issues).sort()).toEqual([
      'ADMIN_TOTP_REQUIRED',
      'DATABASE_URL',
      'DATA_ENCRYPTION_KEY',
      'JOB_SIGNING_SECRET',
      'LOG_LEVEL',
      'PORT',
      'PUBLIC_URL',
      'REDIS_URL',
      'SESSION_SECRET',
      'TRUSTED_PROXIES',
    ]);
  });

  it('names wrong variables without echoing their values', () => {
    try {
      loadConfig({ ...GOOD, SESSION_SECRET: 'changeme-changeme-changeme-changeme-1' }, { generateSecrets: false });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).toContain('SESSION_SECRET');
      expect((error as Error).message).not.toContain('changeme-changeme');
    }
  });

  it('refuses placeholder and short secrets', () => {
    expect(issuesOf({ ...GOOD, SESSION_SECRET: 'changeme' }).SESSION_SECRET).toMatch(/32 bytes/);
    expect(issuesOf({ ...GOOD, SESSION_SECRET: 'changeme'.repeat(5) }).SESSION_SECRET).toMatch(/placeholder/);
    expect(issuesOf({ ...GOOD, JOB_SIGNING_SECRET: 'a'.repeat(40) }).JOB_SIGNING_SECRET).toMatch(/random/);
    expect(secretProblem('my-secret-password-for-the-farm-123')).toMatch(/placeholder/);
  });

  it('accepts random secrets even when they happen to contain a placeholder word', () => {
    expect(secretProblem('Qm3xxxZp9Lk2Xw8Rt5Yp1Nm7Bc4Hd6Gf0Js2UaTodo7')).toBeNull();
    for (let i = 0; i < 5000; i++) expect(secretProblem(randomBytes(32).toString('base64url'))).toBeNull();
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(GOOD, { generateSecrets: false });
    expect(config).toMatchObject({
      host: '127.0.0.1',
      port: 3000,
      redisPrefix: 'farm:',
      logLevel: 'info',
      publicOrigin: 'http://127.0.0.1:3000',
      secureCookies: false,
      trustedProxies: [],
      adminTotpRequired: true,
      allowFirmwareFlash: false,
      migrationsDir: undefined,
    });
    expect(loadConfig({ ...GOOD, PUBLIC_URL: 'https://farm.example.org/' }, { generateSecrets: false })).toMatchObject({
      publicOrigin: 'https://farm.example.org',
      secureCookies: true,
    });
  });

  it('generates missing secrets once into a 0600 file and reuses them', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'cfg-'));
    const env = { DATABASE_URL: GOOD.DATABASE_URL, REDIS_URL: GOOD.REDIS_URL, DATA_DIR: dataDir };
    const first = loadConfig(env);
    const file = path.join(dataDir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(first.sessionSecret, 'base64url')).toHaveLength(32);
    expect(first.sessionSecret).not.toBe(first.jobSigningSecret);
    expect(Buffer.from(first.dataEncryptionKey, 'base64url')).toHaveLength(32);
    expect(first.dataEncryptionKey).not.toBe(first.sessionSecret);
    const second = loadConfig(env);
    expect(second.sessionSecret).toBe(first.sessionSecret);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      SESSION_SECRET: first.sessionSecret,
      JOB_SIGNING_SECRET: first.jobSigningSecret,
      DATA_ENCRYPTION_KEY: first.dataEncryptionKey,
    });
    expect(loadConfig({ ...env, SESSION_SECRET: GOOD.SESSION_SECRET }).sessionSecret).toBe(GOOD.SESSION_SECRET);
  });

  it('refuses to start without secrets when it may not generate them', () => {
    const issues = issuesOf({ DATABASE_URL: GOOD.DATABASE_URL, REDIS_URL: GOOD.REDIS_URL });
    expect(Object.keys(issues).sort()).toEqual(['DATA_ENCRYPTION_KEY', 'JOB_SIGNING_SECRET', 'SESSION_SECRET']);
  });
});
