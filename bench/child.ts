/**
 * Runs one workload against one pool and prints one line of JSON. The parent
 * (run.ts) starts a fresh process for each measurement, so no pool inherits
 * another's heap, JIT state or leftover threads.
 *
 *   node build/bench/child.js --pool piscina --workload burst --threads 2 [--scale 1]
 *
 * `--pool raw` measures plain worker_threads instead (latency and transfer only).
 */
import { parseArgs } from 'node:util';
import { isPoolName, POOLS } from './adapters/registry.js';
import { messagePingPong, transferRoundTrip } from './raw/floor.js';
import { isWorkloadName, WORKLOADS } from './workloads/registry.js';
import { scaled, type Metrics } from './workloads/workload.js';

export interface ChildResult {
  readonly pool: string;
  readonly workload: string;
  readonly threads: number;
  readonly metrics: Metrics;
}

const { values } = parseArgs({
  options: {
    pool: { type: 'string' },
    workload: { type: 'string' },
    threads: { type: 'string', default: '2' },
    scale: { type: 'string', default: '1' },
  },
});
const poolName = values.pool ?? '';
const workloadName = values.workload ?? '';
const threads = Number(values.threads);
const scale = Number(values.scale);
if (!isWorkloadName(workloadName)) throw new Error(`Unknown workload \`${workloadName}\``);
const workload = WORKLOADS[workloadName];

async function measure(): Promise<Metrics> {
  if (poolName === 'raw') {
    if (workloadName === 'latency') return messagePingPong(scaled(5_000, scale));
    if (workloadName === 'transfer') return transferRoundTrip();
    throw new Error(`The raw floor has no \`${workloadName}\` workload`);
  }
  if (!isPoolName(poolName)) throw new Error(`Unknown pool \`${poolName}\``);
  const create = await POOLS[poolName].create();
  return workload.measure({
    createPool: (priorities = false) => create({ threads, priorities }),
    createPoolOf: (workers) => create({ threads: workers, priorities: false }),
    threads,
    scale,
  });
}

const metrics = await measure();
const result: ChildResult = { pool: poolName, workload: workloadName, threads, metrics };
process.stdout.write(`${JSON.stringify(result)}\n`);
// Some pools keep handles alive after close(); the measurement is done.
process.exit(0);
