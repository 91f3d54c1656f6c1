/**
 * The demo's task module: every CPU-heavy job the service does, as named
 * exports. The pooled service runs them in Spindle workers
 * (`pool.run('renderInvoice', invoice)`); the `--inline` service calls the
 * very same functions on its event loop.
 *
 * Byte results travel back with `transfer()`, so they move instead of being
 * copied.
 */
import { transfer } from 'spindle/worker';
import { convertCsvToJson } from './work/csv-to-json.js';
import { renderInvoicePdf, type Invoice } from './work/invoice-pdf.js';
import { hashPasswordWithBcrypt, type PasswordHashRequest } from './work/password-hash.js';
import { ownedBytes } from './work/owned-bytes.js';
import { makeThumbnail, type ThumbnailRequest } from './work/thumbnail.js';

export async function renderInvoice(invoice: Invoice) {
  return transfer(ownedBytes(await renderInvoicePdf(invoice)));
}

export async function thumbnail(request: ThumbnailRequest) {
  const result = await makeThumbnail(request);
  return transfer({ ...result, jpeg: ownedBytes(result.jpeg) });
}

export function hashPassword(request: PasswordHashRequest): string {
  return hashPasswordWithBcrypt(request);
}

export function csvToJson(csvBytes: Uint8Array) {
  const conversion = convertCsvToJson(csvBytes);
  return transfer({ ...conversion, json: ownedBytes(conversion.json) });
}
