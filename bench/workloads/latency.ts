import { percentile } from '../report/statistics.js';
import { scaled, SEQUENTIAL_WARM_UPS, warmUp, type Workload } from './workload.js';

const TASKS = 5_000;

/** One task at a time: the round trip of a single task through an idle pool. */
export const latency: Workload = {
  summary: `${TASKS.toLocaleString('en-US')} tiny tasks one at a time`,
  metrics: [
    { key: 'p50Us', label: 'p50 µs', better: 'lower', digits: 1 },
    { key: 'p99Us', label: 'p99 µs', better: 'lower', digits: 1 },
  ],
  measure: async ({ createPool, scale }) => {
    const pool = createPool();
    await warmUp(pool);
    for (let index = 0; index < SEQUENTIAL_WARM_UPS; index++) await pool.run('noop', index);
    const roundTrips = await measureRoundTrips(scaled(TASKS, scale), (index) => pool.run('noop', index));
    await pool.close();
    return roundTrips;
  },
};

/** Times `count` sequential calls; returns p50/p99/mean in µs. */
export async function measureRoundTrips(count: number, call: (index: number) => Promise<unknown>): Promise<{ p50Us: number; p99Us: number; meanUs: number }> {
  const samples = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    await call(index);
    samples[index] = (performance.now() - started) * 1000;
  }
  const meanUs = samples.reduce((sum, sample) => sum + sample, 0) / count;
  return { p50Us: percentile(samples, 0.5), p99Us: percentile(samples, 0.99), meanUs };
}
