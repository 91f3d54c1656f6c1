import type { FastifyRequest } from 'fastify';
import { ownedBytes } from '../../work/owned-bytes.js';

/** The error Fastify answers with 400 when the expected file part is missing. */
export class MissingUploadError extends Error {
  readonly statusCode = 400;
  readonly code = 'DEMO_MISSING_UPLOAD';

  constructor(fieldName: string) {
    super(`Expected a multipart/form-data upload with a file field named \`${fieldName}\``);
  }
}

/**
 * Reads the one file of a multipart upload into bytes that own their
 * ArrayBuffer, so they can be moved to a worker with `transfer()`.
 */
export async function readUploadedFile(request: FastifyRequest, fieldName: string): Promise<Uint8Array<ArrayBuffer>> {
  const file = await request.file();
  if (file?.fieldname !== fieldName) throw new MissingUploadError(fieldName);
  return ownedBytes(await file.toBuffer());
}
