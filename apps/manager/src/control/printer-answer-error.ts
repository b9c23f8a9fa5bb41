// Failures on the far side of the control path (the worker did not answer,
// or could not act). They are 5xx answers whose message must still say what
// happened, so routes send them directly instead of through the generic
// handler, which hides 5xx messages.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { statusOf } from '../errors/error-codes.js';

export class PrinterAnswerError extends Error {
  constructor(
    readonly code: 'printer_timeout' | 'printer_failed',
    message: string,
  ) {
    super(message);
    this.name = 'PrinterAnswerError';
  }
}

/** Runs a handler; a PrinterAnswerError becomes the standard error body with its own message. */
export async function answeringPrinterErrors<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  run: () => Promise<T>,
): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof PrinterAnswerError)) throw error;
    request.errorCode = error.code;
    request.log.warn({ code: error.code }, error.message);
    return reply
      .status(statusOf(error.code))
      .send({ error: error.code, message: error.message, requestId: request.id });
  }
}
