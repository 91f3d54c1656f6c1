import { encodeMultipartFile } from '../samples/multipart-body.js';
import { makeSampleCsv } from '../samples/sample-csv.js';
import { makeSampleInvoice } from '../samples/sample-invoice.js';
import { makeSamplePhoto } from '../samples/sample-photo.js';

/** One autocannon stream: who hits which endpoint, how hard, with what. */
export interface EndpointLoad {
  readonly label: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer | string;
  /** Concurrent connections, each sending its next request once answered. */
  readonly connections: number;
  /** Requests per second over all connections; unset: as fast as answered. */
  readonly overallRate?: number;
  /** What the payload is, for the report. */
  readonly payload: string;
}

/** The sizes that make one request of each kind cost tens of milliseconds of CPU. */
export const LOAD_SIZES = {
  invoiceLines: 150,
  photoWidth: 1920,
  photoHeight: 1280,
  bcryptCost: 10,
  csvRows: 15_000,
} as const;

/**
 * The mixed load of the battle test: every heavy endpoint busy with four
 * clients at once (16 requests in flight in all), plus a steady 25 requests
 * per second of `/health`, the probe of responsiveness.
 */
export async function buildLoadPlan(): Promise<readonly EndpointLoad[]> {
  const invoice = JSON.stringify(makeSampleInvoice(LOAD_SIZES.invoiceLines));
  const photo = await makeSamplePhoto(LOAD_SIZES.photoWidth, LOAD_SIZES.photoHeight);
  const photoUpload = encodeMultipartFile('image', 'photo.jpg', 'image/jpeg', photo);
  const csv = makeSampleCsv(LOAD_SIZES.csvRows);
  const csvUpload = encodeMultipartFile('file', 'orders.csv', 'text/csv', csv);
  const json = { 'content-type': 'application/json' };
  const kib = (bytes: number): string => `${String(Math.round(bytes / 1024))} KiB`;
  return [
    { label: 'POST /invoices', method: 'POST', path: '/invoices', headers: json, body: invoice, connections: 4, payload: `${String(LOAD_SIZES.invoiceLines)} line items → PDF` },
    { label: 'POST /thumbnails', method: 'POST', path: '/thumbnails?width=256&height=256', headers: { 'content-type': photoUpload.contentType }, body: photoUpload.body, connections: 4, payload: `${String(LOAD_SIZES.photoWidth)}×${String(LOAD_SIZES.photoHeight)} JPEG, ${kib(photo.length)}` },
    { label: 'POST /passwords/hash', method: 'POST', path: '/passwords/hash', headers: json, body: JSON.stringify({ password: 'correct horse battery staple', cost: LOAD_SIZES.bcryptCost }), connections: 4, payload: `bcrypt cost ${String(LOAD_SIZES.bcryptCost)}` },
    { label: 'POST /csv', method: 'POST', path: '/csv', headers: { 'content-type': csvUpload.contentType }, body: csvUpload.body, connections: 4, payload: `${String(LOAD_SIZES.csvRows)} rows, ${kib(csv.length)}` },
    { label: 'GET /health', method: 'GET', path: '/health', headers: {}, connections: 8, overallRate: 25, payload: '25 requests/s, steady' },
  ];
}
