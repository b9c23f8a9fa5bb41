import { ERROR_CODES, type ErrorCode } from './error-codes.js';

/**
 * A typed error with a stable code. Services throw these; the one error
 * handler maps the code to HTTP. `detail` is for logs only, never sent.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: string | undefined;
  /** Seconds; sent as Retry-After (throttling). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, options: { detail?: string; retryAfter?: number; message?: string } = {}) {
    super(options.message ?? ERROR_CODES[code].message);
    this.name = 'AppError';
    this.code = code;
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
