// pino with every secret-bearing field redacted. Request URLs are logged
// with the values of secret-looking query parameters removed.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from '../config/index.js';

const SECRET_KEYS = [
  'password',
  'currentPassword',
  'newPassword',
  'token',
  'totp',
  'code',
  'recoveryCode',
  'recoveryCodes',
  'secret',
  'apiKey',
  'key',
  'csrfToken',
  'sessionSecret',
  'jobSigningSecret',
  'dataEncryptionKey',
  'totpSecret',
  'otpauthUrl',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]),
];

const SECRET_QUERY = /([?&](?:token|key|api_key|apikey|password|secret|code)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY, '$1[Redacted]');
}

export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url ? redactUrl(req.url) : undefined,
          remoteAddress: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
