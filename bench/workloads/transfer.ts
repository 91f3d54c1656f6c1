import { median } from '../report/statistics.js';
import { SEQUENTIAL_WARM_UPS, type Workload } from './workload.js';

export const TRANSFER_BYTES = 64 * 1024 * 1024;
/** Warm-ups stop after this long when each round trip copies (poolifier's results). */
const WARM_UP_MS = 2_000;
const REPEATS = 100;
const MEASURE_MS = 5_000;

/** A 64 MiB ArrayBuffer to a worker and back, with each library's zero-copy mechanism. */
export const transfer: Workload = {
  summary: `a 64 MiB ArrayBuffer there and back, moved (median of ${REPEATS} after ${SEQUENTIAL_WARM_UPS} warm-ups)`,
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
export async function measureTransfers(echo: (buffer: ArrayBuffer) => Promise<ArrayBuffer>): Promise<{ roundTripMs: number; samples: number }> {
  let buffer = new ArrayBuffer(TRANSFER_BYTES);
  new Uint8Array(buffer).fill(7);
  const warmUpEnds = performance.now() + WARM_UP_MS;
  for (let index = 0; index < SEQUENTIAL_WARM_UPS && performance.now() < warmUpEnds; index++) buffer = await echo(buffer);
  const samples: number[] = [];
  const measureEnds = performance.now() + MEASURE_MS;
  while (samples.length < REPEATS && (samples.length < 5 || performance.now() < measureEnds)) {
    const started = performance.now();
    buffer = await echo(buffer);
    samples.push(performance.now() - started);
  }
  if (buffer.byteLength !== TRANSFER_BYTES) throw new Error(`Expected ${TRANSFER_BYTES} bytes back, got ${buffer.byteLength}`);
  return { roundTripMs: median(samples), samples: samples.length };
}
