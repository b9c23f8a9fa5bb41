// Connection URLs for the locally started services, and their printable form. Pure.

export interface PostgresUrlParts {
  user: string;
  password: string;
  port: number;
  database: string;
}

export function postgresUrl(parts: PostgresUrlParts): string {
  const url = new URL('postgres://127.0.0.1');
  url.username = parts.user;
  url.password = parts.password;
  url.port = String(parts.port);
  url.pathname = `/${parts.database}`;
  return url.toString();
}

export function redisUrl(parts: { password: string; port: number }): string {
  const url = new URL('redis://127.0.0.1');
  url.username = 'default';
  url.password = parts.password;
  url.port = String(parts.port);
  return url.toString();
}

/** The URL with its password masked, for log lines. Unparseable input is not echoed. */
export function redactUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(unparseable URL)';
  }
  if (url.password) url.password = '***';
  return url.toString();
}
