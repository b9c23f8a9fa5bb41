// The manager's environment, as a TypeBox schema. Every value is a string in
// the environment; the description is what a wrong value is told.
import { Type, type Static } from 'typebox';

const bool = (description: string) => Type.Optional(Type.String({ pattern: '^(true|false|1|0)$', description }));

export const EnvSchema = Type.Object({
  DATABASE_URL: Type.String({
    pattern: '^postgres(ql)?://',
    description: 'required: a postgres:// URL such as postgres://farm@127.0.0.1:5432/farm',
  }),
  REDIS_URL: Type.String({
    pattern: '^rediss?://',
    description: 'required: a redis:// or rediss:// URL such as redis://127.0.0.1:6379',
  }),
  REDIS_PREFIX: Type.Optional(
    Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$', description: 'letters, digits, _ . : - (default farm:)' }),
  ),
  HOST: Type.Optional(Type.String({ minLength: 1, maxLength: 255, description: 'an address to listen on' })),
  PORT: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$', description: 'a TCP port 0-65535' })),
  DATA_DIR: Type.Optional(Type.String({ minLength: 1, description: 'a folder path' })),
  LOG_LEVEL: Type.Optional(
    Type.Enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      description: 'one of fatal, error, warn, info, debug, trace, silent',
    }),
  ),
  PUBLIC_URL: Type.Optional(
    Type.String({ pattern: '^https?://[^/?#]+/?$', description: 'an origin such as https://farm.example.org' }),
  ),
  TRUSTED_PROXIES: Type.Optional(Type.String({ description: 'a comma-separated list of IP addresses or CIDRs' })),
  SESSION_SECRET: Type.Optional(Type.String({ description: 'at least 32 random bytes, not a placeholder' })),
  JOB_SIGNING_SECRET: Type.Optional(Type.String({ description: 'at least 32 random bytes, not a placeholder' })),
  DATA_ENCRYPTION_KEY: Type.Optional(
    Type.String({ description: 'at least 32 random bytes, not a placeholder (encrypts TOTP secrets at rest)' }),
  ),
  ADMIN_TOTP_REQUIRED: bool('true or false'),
  ALLOW_FIRMWARE_FLASH: bool('true or false'),
  METRICS_TOKEN: Type.Optional(
    Type.String({ minLength: 32, maxLength: 256, description: 'at least 32 characters: the bearer token Prometheus scrapes /metrics with' }),
  ),
  LOCAL_HOST_TOKEN: Type.Optional(
    Type.String({
      pattern: '^fh_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$',
      description: 'a host token (fh_…) the manager registers for the host agent on this machine (npm start sets it)',
    }),
  ),
  MIGRATIONS_DIR: Type.Optional(Type.String({ minLength: 1, description: 'a folder path' })),
});

export type Env = Static<typeof EnvSchema>;
export type EnvName = keyof Env;
