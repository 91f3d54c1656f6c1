import type { ChildResult } from '../child.js';
import { WORKLOADS, type WorkloadName } from '../workloads/registry.js';
import { median } from './statistics.js';

/** Median over rounds: `medians[workload][pool][metric]`. */
export type Medians = Partial<Record<string, Partial<Record<string, Record<string, number>>>>>;

export function medianOverRounds(results: readonly ChildResult[]): Medians {
  const samples = new Map<string, Map<string, Map<string, number[]>>>();
  for (const { workload, pool, metrics } of results) {
    let byPool = samples.get(workload);
    if (byPool === undefined) samples.set(workload, (byPool = new Map<string, Map<string, number[]>>()));
    let byMetric = byPool.get(pool);
    if (byMetric === undefined) byPool.set(pool, (byMetric = new Map<string, number[]>()));
    for (const [metric, value] of Object.entries(metrics)) {
      const values = byMetric.get(metric);
      if (values === undefined) byMetric.set(metric, [value]);
      else values.push(value);
    }
  }
  const medians: Medians = {};
  for (const [workload, byPool] of samples) {
    const perPool: Partial<Record<string, Record<string, number>>> = {};
    for (const [pool, byMetric] of byPool) {
      perPool[pool] = Object.fromEntries([...byMetric].map(([metric, values]) => [metric, median(values)]));
    }
    medians[workload] = perPool;
  }
  return medians;
}

/**
 * How many times better Spindle (`spindlePool`: 'spindle', or
 * 'spindle-process' in the process group) is than `pool` on one metric:
 * spindle/peer for rates, peer/spindle for times. Above 1 means Spindle is better.
 */
export function spindleAdvantage(medians: Medians, workload: WorkloadName, metric: string, pool: string, spindlePool = 'spindle'): number {
  const spec = WORKLOADS[workload].metrics.find((candidate) => candidate.key === metric);
  const spindle = medians[workload]?.[spindlePool]?.[metric];
  const peer = medians[workload]?.[pool]?.[metric];
  if (spec === undefined || spindle === undefined || peer === undefined) return Number.NaN;
  return spec.better === 'higher' ? spindle / peer : peer / spindle;
}
