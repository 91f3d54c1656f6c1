import type { ClusterSnapshot } from '../events.js';
import type { MetricsJson, ProcessMessage } from '../protocol.js';
import type { ManagedProcess } from './managed-process.js';

/** The content type of Prometheus's text format, as prom-client serves it. */
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** How long a scrape waits for a process's metrics; a process that does not answer is left out. */
const PROCESS_TIMEOUT_MS = 3_000;

type Metric = Readonly<Record<string, unknown>> & { readonly name?: unknown; readonly values?: unknown };

interface Pending {
  readonly results: MetricsJson[];
  readonly waiting: Set<number>;
  readonly done: () => void;
}

/**
 * The fleet's metrics in one scrape: each live process's registry (asked
 * over IPC, `getMetricsAsJSON()` there), and the supervisor's own figures,
 * merged with prom-client's `AggregatorRegistry.aggregate()`: series with the
 * same name and labels are summed, unless the metric names another
 * aggregator (prom-client's default metrics do). Series of Spindle's pool
 * metrics that a sum would garble are adjusted first, by name ending:
 * `*utilization_ratio` is averaged, `*task_run_seconds` and
 * `*task_wait_seconds` (percentiles) take the maximum, and the per-thread
 * `*worker_in_flight` and `*worker_tasks_completed` get a `pid` label (thread
 * ids repeat across processes).
 */
export class FleetMetrics {
  readonly #processes: () => readonly ManagedProcess[];
  readonly #snapshot: () => ClusterSnapshot;
  readonly #pending = new Map<number, Pending>();
  #nextRequestId = 1;

  constructor(processes: () => readonly ManagedProcess[], snapshot: () => ClusterSnapshot) {
    this.#processes = processes;
    this.#snapshot = snapshot;
  }

  /** The aggregated Prometheus text. Rejects when prom-client is not installed. */
  async collect(): Promise<string> {
    const { AggregatorRegistry } = await import('prom-client');
    const perProcess = await this.#gather();
    const all = [supervisorMetrics(this.#snapshot()), ...perProcess.map(adjustPoolSeries)];
    const registry = AggregatorRegistry.aggregate(all);
    return registry.metrics();
  }

  /** A process's metrics message: its answer to a request, or its own request for the fleet's text. */
  handle(process: ManagedProcess, message: ProcessMessage): void {
    if (message.type === 'metrics') {
      this.#receive(process, message.requestId, message.metrics);
    } else if (message.type === 'fleet-metrics-request') {
      const { requestId } = message;
      this.collect().then(
        (text) => {
          process.send({ spindle: 'cluster', type: 'fleet-metrics', requestId, text, contentType: METRICS_CONTENT_TYPE });
        },
        (error: unknown) => {
          process.send({ spindle: 'cluster', type: 'fleet-metrics', requestId, text: '', contentType: '', error: error instanceof Error ? error.message : String(error) });
        },
      );
    }
  }

  #receive(process: ManagedProcess, requestId: number, metrics: MetricsJson): void {
    const pending = this.#pending.get(requestId);
    if (pending === undefined || !pending.waiting.delete(process.pid)) return;
    pending.results.push(tagged(metrics, process.pid));
    if (pending.waiting.size === 0) pending.done();
  }

  #gather(): Promise<MetricsJson[]> {
    const processes = this.#processes().filter((process) => process.state === 'ready' || process.state === 'draining');
    if (processes.length === 0) return Promise.resolve([]);
    const requestId = this.#nextRequestId++;
    return new Promise((resolve) => {
      const results: MetricsJson[] = [];
      const done = (): void => {
        clearTimeout(timer);
        this.#pending.delete(requestId);
        resolve(results);
      };
      const timer = setTimeout(done, PROCESS_TIMEOUT_MS);
      this.#pending.set(requestId, { results, waiting: new Set(processes.map((process) => process.pid)), done });
      for (const process of processes) process.send({ spindle: 'cluster', type: 'metrics-request', requestId });
    });
  }
}

/** Remembers which process a metric list came from, for `adjustPoolSeries`. */
const origin = new WeakMap<MetricsJson, number>();
function tagged(metrics: MetricsJson, pid: number): MetricsJson {
  origin.set(metrics, pid);
  return metrics;
}

const AVERAGED = /utilization_ratio$/;
const WORST = /task_(run|wait)_seconds$/;
const PER_THREAD = /worker_(in_flight|tasks_completed)$/;

function adjustPoolSeries(metrics: MetricsJson): MetricsJson {
  const pid = origin.get(metrics) ?? 0;
  return metrics.map((metric: Metric) => {
    const name = typeof metric.name === 'string' ? metric.name : '';
    if (AVERAGED.test(name)) return { ...metric, aggregator: 'average' };
    if (WORST.test(name)) return { ...metric, aggregator: 'max' };
    if (PER_THREAD.test(name) && Array.isArray(metric.values)) {
      const values = (metric.values as readonly { readonly labels?: Readonly<Record<string, unknown>> }[]).map((value) => ({ ...value, labels: { ...value.labels, pid: String(pid) } }));
      return { ...metric, values };
    }
    return metric;
  });
}

/** The supervisor's own figures, in prom-client's JSON shape. */
function supervisorMetrics(snapshot: ClusterSnapshot): MetricsJson {
  const byState = (state: string): number => snapshot.processes.filter((process) => process.state === state).length;
  return [
    {
      name: 'spindle_cluster_processes',
      help: 'Live processes of the cluster by state.',
      type: 'gauge',
      aggregator: 'sum',
      values: ['starting', 'ready', 'draining'].map((state) => ({ labels: { state }, value: byState(state) })),
    },
    { name: 'spindle_cluster_restarts_total', help: 'Processes started to replace another (crash, watchdog, rolling restart).', type: 'counter', aggregator: 'sum', values: [{ labels: {}, value: snapshot.restarts }] },
    { name: 'spindle_cluster_watchdog_kills_total', help: 'Processes killed because their event loop stayed blocked.', type: 'counter', aggregator: 'sum', values: [{ labels: {}, value: snapshot.watchdogKills }] },
    {
      name: 'spindle_cluster_process_event_loop_delay_seconds',
      help: 'Longest event-loop delay in the last heartbeat interval, per process.',
      type: 'gauge',
      aggregator: 'sum',
      values: snapshot.processes.filter((process) => process.eventLoopDelayMs !== null).map((process) => ({ labels: { slot: String(process.slot), pid: String(process.pid) }, value: (process.eventLoopDelayMs ?? 0) / 1000 })),
    },
  ];
}
