// The one error handler: typed errors by code, framework errors by status,
// everything else a generic 500. Bodies are {error, message, requestId}; no
// stack trace or echoed input ever leaves the server.
import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError } from './app-error.js';
import { ERROR_CODES, type ErrorCode } from './error-codes.js';

const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const fe = error as Partial<FastifyError> & { validation?: unknown };
  if (fe.validation) return new AppError('validation_failed', { detail: fe.message, message: validationMessage(fe) });
  const status = typeof fe.statusCode === 'number' ? fe.statusCode : 500;
  const code = BY_STATUS[status];
  if (code) return new AppError(code, { detail: fe.message });
  return new AppError('internal', { detail: fe.message });
}

// Ajv messages name the failing field and rule but never the submitted value.
function validationMessage(fe: Partial<FastifyError>): string {
  const first = fe.validation?.[0];
  if (!first) return ERROR_CODES.validation_failed.message;
  const where = `${fe.validationContext ?? 'request'}${first.instancePath}`;
  const extra = first.keyword === 'additionalProperties' ? ' (unknown field)' : '';
  return `${where} ${first.message ?? 'is invalid'}${extra}`.slice(0, 200);
}

export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    const status = ERROR_CODES[appError.code].status;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    else request.log.info({ code: appError.code, detail: appError.detail }, 'request refused');
    request.errorCode = appError.code;
    if (appError.retryAfter !== undefined) void reply.header('retry-after', String(appError.retryAfter));
    const message = status >= 500 ? ERROR_CODES[appError.code].message : appError.message;
    return reply.status(status).send({ error: appError.code, message, requestId: request.id });
  });

  app.setNotFoundHandler((request, reply) => {
    request.errorCode = 'not_found';
    return reply
      .status(404)
      .send({ error: 'not_found', message: ERROR_CODES.not_found.message, requestId: request.id });
  });
}
