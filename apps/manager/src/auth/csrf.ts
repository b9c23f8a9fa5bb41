// CSRF for cookie sessions: the per-session token in a header, plus a
// same-origin check (Origin, or Sec-Fetch-Site when Origin is absent).
import type { IncomingHttpHeaders } from 'node:http';
import type { ErrorCode } from '../errors/error-codes.js';
import { safeEqual } from './secret-tokens.js';

export const CSRF_HEADER = 'x-csrf-token';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method);
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Same-origin when Origin equals ours, or (no Origin) Sec-Fetch-Site says same-origin. */
export function isSameOrigin(headers: IncomingHttpHeaders, publicOrigin: string): boolean | 'unknown' {
  const origin = header(headers, 'origin');
  if (origin !== undefined) return origin === publicOrigin;
  const site = header(headers, 'sec-fetch-site');
  if (site !== undefined) return site === 'same-origin';
  return 'unknown';
}

/** For a cookie-authenticated request: the refusal code, or null when it passes. */
export function csrfProblem(
  method: string,
  headers: IncomingHttpHeaders,
  sessionCsrfToken: string,
  publicOrigin: string,
): ErrorCode | null {
  if (isSafeMethod(method)) return null;
  if (isSameOrigin(headers, publicOrigin) !== true) return 'csrf_failed';
  const sent = header(headers, CSRF_HEADER);
  if (sent === undefined || !safeEqual(sent, sessionCsrfToken)) return 'csrf_failed';
  return null;
}
