import { median } from '../report/statistics.js';
import { type Workload } from './workload.js';

export const TRANSFER_BYTES = 64 * 1024 * 1024;
export const TRANSFER_REPEATS = 30;
/** The first transfers of a pool run cold code (tens of ms, then ~100 µs); warm until they settle. */
const TRANSFER_WARM_UPS = 30;

/** A 64 MiB ArrayBuffer to a worker and back, with each library's zero-copy mechanism. */
export const transfer: Workload = {
  summary: `a 64 MiB ArrayBuffer there and back, moved (median of ${TRANSFER_REPEATS})`,
  metrics: [{ key: 'roundTripMs', label: 'round trip ms', better: 'lower', digits: 3 }],
  measure: async ({ createPool }) => {
    const pool = createPool();
    await pool.run('noop', 0);
    const result = await measureTransfers((buffer) => pool.echoBuffer(buffer));
    await pool.close();
    return result;
  },
};

/** Sends one buffer back and forth (what comes back goes out next); returns the median round trip. */
export async function measureTransfers(echo: (buffer: ArrayBuffer) => Promise<ArrayBuffer>): Promise<{ roundTripMs: number }> {
  let buffer = new ArrayBuffer(TRANSFER_BYTES);
  new Uint8Array(buffer).fill(7);
  for (let index = 0; index < TRANSFER_WARM_UPS; index++) buffer = await echo(buffer);
  const samples: number[] = [];
  for (let index = 0; index < TRANSFER_REPEATS; index++) {
    const started = performance.now();
    buffer = await echo(buffer);
    samples.push(performance.now() - started);
  }
  if (buffer.byteLength !== TRANSFER_BYTES) throw new Error(`Expected ${TRANSFER_BYTES} bytes back, got ${buffer.byteLength}`);
  return { roundTripMs: median(samples) };
}
