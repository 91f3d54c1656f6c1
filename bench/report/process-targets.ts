import { spindleAdvantage, type Medians } from './summary.js';
import type { TargetCheck } from './targets.js';
import type { WorkloadName } from '../workloads/registry.js';

const SPINDLE = 'spindle-process';

/** The figures of issue 14 on which Spindle's process runtime must lead each process pool. */
const FIGURES: readonly { readonly workload: WorkloadName; readonly metric: string; readonly name: string; readonly unit: string; readonly digits: number }[] = [
  { workload: 'burst', metric: 'tasksPerSecond', name: 'burst throughput', unit: 'tasks/s', digits: 0 },
  { workload: 'window', metric: 'tasksPerSecond', name: 'window throughput', unit: 'tasks/s', digits: 0 },
  { workload: 'latency', metric: 'p50Us', name: 'one-at-a-time latency p50', unit: 'µs', digits: 1 },
  // The workers' busy share, not the speed-up over this process's own run of the work: that one also measures how well V8
  // compiled fib in each process, which spreads as widely as the pools differ (see workloads/cpu.ts).
  { workload: 'cpu', metric: 'busy', name: 'cpu efficiency (busy share)', unit: '', digits: 3 },
  { workload: 'startup', metric: 'startupMs', name: 'startup', unit: 'ms', digits: 1 },
];

/** Issue 14: spindle-process ahead of each process peer on each figure (ratio > 1), in this run's medians. */
export function checkProcessTargets(medians: Medians, peers: readonly string[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const { workload, metric, name, unit, digits } of FIGURES) {
    for (const peer of peers) {
      const advantage = spindleAdvantage(medians, workload, metric, peer, SPINDLE);
      const spindle = medians[workload]?.[SPINDLE]?.[metric];
      const other = medians[workload]?.[peer]?.[metric];
      const figures = spindle === undefined || other === undefined ? '' : ` (${spindle.toFixed(digits)} vs ${other.toFixed(digits)}${unit === '' ? '' : ` ${unit}`})`;
      checks.push({
        target: `process ${name} ahead of ${peer}`,
        met: Number.isNaN(advantage) ? undefined : advantage > 1,
        measured: Number.isNaN(advantage) ? 'not measured' : `${advantage.toFixed(2)}×${figures}`,
      });
    }
  }
  return checks;
}
