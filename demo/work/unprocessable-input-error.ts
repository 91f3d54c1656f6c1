/**
 * Thrown by a task whose input cannot be processed (not an image, malformed
 * CSV). Its own fields, `statusCode` and `code`, survive the trip back from
 * the worker, so Fastify answers 422 with that code in either mode.
 */
export class UnprocessableInputError extends Error {
  readonly statusCode = 422;
  readonly code: string;

  constructor(code: string, message: string, cause: unknown) {
    super(message, { cause });
    this.code = code;
  }
}
