import { Counter, Gauge, register as globalRegistry, type Registry } from 'prom-client';
import type { PoolStats } from '../stats/snapshot.js';

/** Anything with Spindle's `stats()`: a `Pool`, from this or another copy of the package. */
export interface PoolStatsSource {
  stats(): PoolStats;
}

export interface PoolMetricsOptions {
  /**
   * The registry to add the metrics to.
   * @default prom-client's global `register`
   */
  readonly registry?: Registry;
  /**
   * Put in front of every metric name. A registry holds each name once, so
   * pools that share a registry need prefixes of their own.
   * @default 'spindle_'
   */
  readonly prefix?: string;
  /**
   * Labels added to every series of this pool.
   * @example { pool: 'thumbnails' }
   */
  readonly labels?: Readonly<Record<string, string>>;
}

export interface PoolMetrics {
  /** The full names of the registered metrics. */
  readonly names: readonly string[];
  /** Removes this pool's metrics from the registry. */
  unregister(): void;
}

const QUANTILES = [0.5, 0.95, 0.99] as const;
const POOL_STATES = ['starting', 'running', 'degraded', 'closing', 'closed'] as const;

/**
 * Registers gauges and counters that read `pool.stats()` when the registry is
 * scraped (one snapshot per scrape), so nothing runs between scrapes.
 *
 * ```ts
 * const registry = new Registry();
 * registerPoolMetrics(pool, { registry, prefix: 'thumbnails_' });
 * app.get('/metrics', async () => registry.metrics());
 * ```
 */
export function registerPoolMetrics(pool: PoolStatsSource, options: PoolMetricsOptions = {}): PoolMetrics {
  const registry = options.registry ?? globalRegistry;
  const prefix = options.prefix ?? 'spindle_';
  const constantLabels = options.labels ?? {};
  const constantNames = Object.keys(constantLabels);
  const snapshot = scrapeScopedSnapshot(pool);
  const names: string[] = [];
  const registerAll = [registry];

  const gauge = (name: string, help: string, labelNames: readonly string[], read: (stats: PoolStats, set: (labels: Record<string, string>, value: number) => void) => void): void => {
    const fullName = prefix + name;
    names.push(fullName);
    new Gauge({
      name: fullName,
      help,
      labelNames: [...constantNames, ...labelNames],
      registers: registerAll,
      collect() {
        this.reset();
        read(snapshot(), (labels, value) => {
          this.set({ ...constantLabels, ...labels }, value);
        });
      },
    });
  };
  const counter = (name: string, help: string, labelNames: readonly string[], read: (stats: PoolStats) => readonly (readonly [Record<string, string>, number])[]): void => {
    const fullName = prefix + name;
    names.push(fullName);
    new Counter({
      name: fullName,
      help,
      labelNames: [...constantNames, ...labelNames],
      registers: registerAll,
      collect() {
        // The pool's counters only grow; mirror their current totals.
        this.reset();
        for (const [labels, value] of read(snapshot())) this.inc({ ...constantLabels, ...labels }, value);
      },
    });
  };

  gauge('pool_state', 'Current pool state: 1 for the state the pool is in, 0 for the others.', ['state'], (stats, set) => {
    for (const state of POOL_STATES) set({ state }, stats.state === state ? 1 : 0);
  });
  gauge('queue_depth', 'Tasks waiting in the queue for a worker.', [], (stats, set) => {
    set({}, stats.queued);
  });
  gauge('tasks_running', 'Tasks sent to workers and not yet answered.', [], (stats, set) => {
    set({}, stats.running);
  });
  gauge('workers', 'Worker threads by state.', ['state'], (stats, set) => {
    set({ state: 'busy' }, stats.workers.busy);
    set({ state: 'idle' }, stats.workers.idle);
    set({ state: 'starting' }, stats.workers.starting);
  });
  gauge('utilization_ratio', 'Busy time over the lifetime of all workers, 0 to 1.', [], (stats, set) => {
    set({}, stats.utilization);
  });
  gauge('task_run_seconds', 'Task run time percentiles since the pool started.', ['quantile'], (stats, set) => {
    for (const quantile of QUANTILES) set({ quantile: String(quantile) }, percentileOf(stats.runTime, quantile) / 1000);
  });
  gauge('task_wait_seconds', 'Task queue-wait time percentiles since the pool started.', ['quantile'], (stats, set) => {
    for (const quantile of QUANTILES) set({ quantile: String(quantile) }, percentileOf(stats.waitTime, quantile) / 1000);
  });
  gauge('worker_in_flight', 'Tasks sent to each worker and not yet answered.', ['thread_id'], (stats, set) => {
    for (const worker of stats.perWorker) set({ thread_id: String(worker.threadId) }, worker.inFlight);
  });
  gauge('worker_tasks_completed', 'Tasks each live worker has completed.', ['thread_id'], (stats, set) => {
    for (const worker of stats.perWorker) set({ thread_id: String(worker.threadId) }, worker.tasksCompleted);
  });
  counter('tasks_total', 'Settled tasks by outcome.', ['outcome'], (stats) => [
    [{ outcome: 'completed' }, stats.completed],
    [{ outcome: 'failed' }, stats.failed],
    [{ outcome: 'aborted' }, stats.aborted],
    [{ outcome: 'timed_out' }, stats.timedOut],
    [{ outcome: 'rejected_queue_full' }, stats.rejectedQueueFull],
  ]);
  counter('tasks_submitted_total', 'Tasks accepted into the pool.', [], (stats) => [[{}, stats.submitted]]);
  counter('task_retries_total', 'Extra attempts made after a worker death or a timeout.', [], (stats) => [[{}, stats.retried]]);
  counter('worker_crashes_total', 'Workers that exited unexpectedly.', [], (stats) => [[{}, stats.workerCrashes]]);
  counter('workers_started_total', 'Workers started, replacements included.', [], (stats) => [[{}, stats.workersStarted]]);
  counter('worker_start_failures_total', 'Workers that failed to start.', [], (stats) => [[{}, stats.workerStartFailures]]);

  return Object.freeze({
    names: Object.freeze([...names]),
    unregister() {
      for (const name of names) registry.removeSingleMetric(name);
    },
  });
}

/**
 * A registry scrape collects every metric in the same synchronous pass, so
 * one snapshot, dropped at the next microtask, serves the whole scrape.
 */
function scrapeScopedSnapshot(pool: PoolStatsSource): () => PoolStats {
  let current: PoolStats | undefined;
  return () => {
    if (current === undefined) {
      current = pool.stats();
      queueMicrotask(() => {
        current = undefined;
      });
    }
    return current;
  };
}

function percentileOf(summary: PoolStats['runTime'], quantile: (typeof QUANTILES)[number]): number {
  if (quantile === 0.5) return summary.p50;
  if (quantile === 0.95) return summary.p95;
  return summary.p99;
}
