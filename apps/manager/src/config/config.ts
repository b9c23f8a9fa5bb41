// The manager's configuration: parsed once at start from the environment.
// Nothing else in the manager reads process.env.
import { isIP } from 'node:net';
import path from 'node:path';
import Value from 'typebox/value';
import { ConfigError, type ConfigIssue } from './config-error.js';
import { EnvSchema, type Env, type EnvName } from './env.schema.js';
import { secretProblem } from './secret-strength.js';
import { generateMissingSecrets, readStoredSecrets, SECRET_NAMES, type SecretName } from './secrets-file.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface ManagerConfig {
  databaseUrl: string;
  redisUrl: string;
  /** Every Redis key the manager writes starts with this. */
  redisPrefix: string;
  host: string;
  port: number;
  dataDir: string;
  logLevel: LogLevel;
  /** Origin the browser sees (scheme://host[:port]); setup link and CSRF same-origin check. */
  publicOrigin: string;
  /** True when publicOrigin is https: Secure, __Host- session cookie. */
  secureCookies: boolean;
  /** IPs/CIDRs whose forwarding headers are believed; empty = none. */
  trustedProxies: readonly string[];
  sessionSecret: string;
  jobSigningSecret: string;
  /** Server secret the key for data encrypted at rest (TOTP secrets) is derived from. */
  dataEncryptionKey: string;
  adminTotpRequired: boolean;
  allowFirmwareFlash: boolean;
  migrationsDir: string | undefined;
  /** Bearer token a Prometheus scraper may use for /metrics (admins may always read it). */
  metricsToken: string | undefined;
  /** A host token registered at start for the local host agent (npm start). */
  localHostToken: string | undefined;
}

export interface LoadConfigOptions {
  /** Generate missing secrets into DATA_DIR/secrets.json (the manager's start). Default true. */
  generateSecrets?: boolean;
}

type RawEnv = Readonly<Record<string, string | undefined>>;

/** Parses the environment; throws one ConfigError naming every wrong variable. */
export function loadConfig(rawEnv: RawEnv, options: LoadConfigOptions = {}): ManagerConfig {
  const env = pickKnown(rawEnv);
  const issues = schemaIssues(env);
  const bad = new Set(issues.map((i) => i.variable));
  const e = env as Env;

  const trustedProxies = splitList(e.TRUSTED_PROXIES);
  const badProxies = trustedProxies.filter((p) => !isAddressOrCidr(p));
  if (!bad.has('TRUSTED_PROXIES') && badProxies.length > 0) {
    issues.push({ variable: 'TRUSTED_PROXIES', problem: 'a comma-separated list of IP addresses or CIDRs' });
  }
  const port = Number(e.PORT ?? '3000');
  if (!bad.has('PORT') && (!Number.isInteger(port) || port > 65535)) {
    issues.push({ variable: 'PORT', problem: 'a TCP port 0-65535' });
  }
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'PUBLIC_URL'] as const) {
    const value = e[name];
    if (value !== undefined && !bad.has(name) && !URL.canParse(value)) {
      issues.push({ variable: name, problem: 'is not a valid URL' });
    }
  }

  const dataDir = path.resolve(e.DATA_DIR ?? './data');
  const secrets = resolveSecrets(e, dataDir, options.generateSecrets ?? true, issues);
  if (issues.length > 0) throw new ConfigError(sortIssues(issues));

  const host = e.HOST ?? '127.0.0.1';
  const publicOrigin = new URL(e.PUBLIC_URL ?? `http://${hostForUrl(host)}:${port}`).origin;
  return {
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX ?? 'farm:',
    host,
    port,
    dataDir,
    logLevel: e.LOG_LEVEL ?? 'info',
    publicOrigin,
    secureCookies: publicOrigin.startsWith('https:'),
    trustedProxies,
    sessionSecret: secrets.SESSION_SECRET,
    jobSigningSecret: secrets.JOB_SIGNING_SECRET,
    dataEncryptionKey: secrets.DATA_ENCRYPTION_KEY,
    adminTotpRequired: parseBool(e.ADMIN_TOTP_REQUIRED, true),
    allowFirmwareFlash: parseBool(e.ALLOW_FIRMWARE_FLASH, false),
    migrationsDir: e.MIGRATIONS_DIR ? path.resolve(e.MIGRATIONS_DIR) : undefined,
    metricsToken: e.METRICS_TOKEN,
    localHostToken: e.LOCAL_HOST_TOKEN,
  };
}

/** What a CLI needs: the database, read exactly as the manager reads it. */
export function loadDatabaseUrl(rawEnv: RawEnv): { databaseUrl: string; migrationsDir: string | undefined } {
  const issues = schemaIssues(pickKnown(rawEnv)).filter(
    (i) => i.variable === 'DATABASE_URL' || i.variable === 'MIGRATIONS_DIR',
  );
  if (issues.length > 0) throw new ConfigError(issues);
  const url = rawEnv.DATABASE_URL as string;
  return { databaseUrl: url, migrationsDir: rawEnv.MIGRATIONS_DIR ? path.resolve(rawEnv.MIGRATIONS_DIR) : undefined };
}

const KNOWN = Object.keys(EnvSchema.properties) as EnvName[];

function pickKnown(rawEnv: RawEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KNOWN) {
    const value = rawEnv[name];
    // An empty variable counts as unset, as in most shells' `VAR= cmd`.
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

function schemaIssues(env: Record<string, string>): ConfigIssue[] {
  const byVariable = new Map<string, string>();
  for (const error of Value.Errors(EnvSchema, env)) {
    const names =
      error.instancePath === ''
        ? (((error.params as { requiredProperties?: string[] }).requiredProperties ?? []) as string[])
        : [error.instancePath.slice(1)];
    for (const name of names) {
      const schema = EnvSchema.properties[name as EnvName] as { description?: string } | undefined;
      byVariable.set(name, schema?.description ?? error.message);
    }
  }
  return [...byVariable].map(([variable, problem]) => ({ variable, problem }));
}

function resolveSecrets(e: Env, dataDir: string, generate: boolean, issues: ConfigIssue[]): Record<SecretName, string> {
  const names: readonly SecretName[] = SECRET_NAMES;
  let stored = readStoredSecretsSafely(dataDir, issues);
  const missing = names.filter((n) => e[n] === undefined && stored[n] === undefined);
  if (missing.length > 0 && generate && issues.length === 0) stored = generateMissingSecrets(dataDir, stored, missing);
  const out: Record<SecretName, string> = { SESSION_SECRET: '', JOB_SIGNING_SECRET: '', DATA_ENCRYPTION_KEY: '' };
  for (const name of names) {
    const value = e[name] ?? stored[name];
    if (value === undefined) {
      if (!generate) issues.push({ variable: name, problem: 'is required' });
      continue;
    }
    const problem = secretProblem(value);
    if (problem) issues.push({ variable: name, problem });
    else out[name] = value;
  }
  return out;
}

function readStoredSecretsSafely(dataDir: string, issues: ConfigIssue[]) {
  try {
    return readStoredSecrets(dataDir);
  } catch {
    issues.push({ variable: 'DATA_DIR', problem: 'secrets.json in the data folder is unreadable or not JSON' });
    return {};
  }
}

function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function isAddressOrCidr(value: string): boolean {
  const [address, bits, ...rest] = value.split('/');
  if (rest.length > 0 || address === undefined) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^[0-9]{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
}

function parseBool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === 'true' || value === '1';
}

function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return isIP(host) === 6 ? `[${host}]` : host;
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort((a, b) => a.variable.localeCompare(b.variable));
}
