import { availableParallelism } from 'node:os';
import { InvalidOptionError } from '../index.js';
import { expect } from './validate.js';

/** What `planCluster()` sizes: every field is optional. */
export interface ClusterPlanOptions {
  /** Processes to run. @default computed, see {@link planCluster} */
  readonly processes?: number;
  /** Pool threads in each process (its `SPINDLE_THREADS`). @default computed, see {@link planCluster} */
  readonly threadsPerProcess?: number;
  /** Cores to plan for. @default os.availableParallelism() */
  readonly cores?: number;
  /** Allow a plan that needs more cores than there are. @default false */
  readonly oversubscribe?: boolean;
}

/** How many processes, and how many pool threads in each. Frozen. */
export interface ClusterPlan {
  readonly processes: number;
  readonly threadsPerProcess: number;
  /** The cores it was planned for. */
  readonly cores: number;
  /** Threads that run JavaScript: `processes × (threadsPerProcess + 1)`, one event loop per process. */
  readonly threadsInAll: number;
  /** `threadsInAll > cores`: asked for with `oversubscribe`, or the 1 × 1 minimum on a single core. */
  readonly oversubscribed: boolean;
  /** One line for the log, e.g. `2 processes × (1 event loop + 3 pool threads) = 8 threads on 8 cores`. */
  readonly summary: string;
}

/**
 * The one function that sizes a cluster. Each process needs a core for its
 * event loop and one per pool thread, so a plan needs
 * `processes × (threadsPerProcess + 1)` cores, and it may not need more than
 * `cores` unless `oversubscribe` is set (the smallest fleet, one process with
 * one thread, is always allowed). What is not given is computed:
 *
 * - neither: `processes` is 1 below 4 cores, else `max(2, floor(cores / 4))`,
 *   and `threadsPerProcess` takes the rest (below);
 * - only `processes`: `threadsPerProcess = max(1, floor(cores / processes) - 1)`;
 * - only `threadsPerProcess`: `processes = max(1, floor(cores / (threadsPerProcess + 1)))`.
 *
 * So 2 cores give 1 × 1, 4 give 2 × 1, 8 give 2 × 3, 16 give 4 × 3.
 * Throws `ERR_INVALID_OPTION` for a plan past the cores without `oversubscribe`.
 */
export function planCluster(options: ClusterPlanOptions = {}): ClusterPlan {
  const cores = options.cores === undefined ? availableParallelism() : expect.positiveInteger('cores', options.cores);
  const oversubscribe = options.oversubscribe === undefined ? false : expect.boolean('oversubscribe', options.oversubscribe);
  const askedProcesses = options.processes === undefined ? undefined : expect.positiveInteger('processes', options.processes);
  const askedThreads = options.threadsPerProcess === undefined ? undefined : expect.positiveInteger('threadsPerProcess', options.threadsPerProcess);

  let processes: number;
  let threadsPerProcess: number;
  if (askedProcesses !== undefined) {
    processes = askedProcesses;
    threadsPerProcess = askedThreads ?? Math.max(1, Math.floor(cores / processes) - 1);
  } else if (askedThreads !== undefined) {
    threadsPerProcess = askedThreads;
    processes = Math.max(1, Math.floor(cores / (threadsPerProcess + 1)));
  } else {
    processes = cores < 4 ? 1 : Math.max(2, Math.floor(cores / 4));
    threadsPerProcess = Math.max(1, Math.floor(cores / processes) - 1);
  }
  const threadsInAll = processes * (threadsPerProcess + 1);
  const oversubscribed = threadsInAll > cores;
  const smallest = processes === 1 && threadsPerProcess === 1;
  if (oversubscribed && !oversubscribe && !smallest) {
    throw new InvalidOptionError(
      `Expected \`processes\` × (\`threadsPerProcess\` + 1 event loop) to be at most the ${plural(cores, 'core')} of this machine, ` +
        `got ${String(processes)} × (${String(threadsPerProcess)} + 1) = ${String(threadsInAll)}; pass \`oversubscribe: true\` to run it anyway`,
    );
  }
  const summary =
    `${plural(processes, 'process', 'processes')} × (1 event loop + ${plural(threadsPerProcess, 'pool thread')}) = ` +
    `${plural(threadsInAll, 'thread')} on ${plural(cores, 'core')}${oversubscribed ? ' (oversubscribed)' : ''}`;
  return Object.freeze({ processes, threadsPerProcess, cores, threadsInAll, oversubscribed, summary });
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${String(count)} ${count === 1 ? one : many}`;
}
