import { createHistogram, type RecordableHistogram } from 'node:perf_hooks';
import type { TaskRecord, TaskWorker } from '../scheduler/task.js';
import type { Workforce } from '../workforce/workforce.js';
import { summarize, type PiscinaHistogramSummary } from './histogram.js';
import type { PiscinaTask } from './queues.js';

/** A worker as piscina's `loadBalancer` sees it: a live view, read when the balancer runs. */
export interface PiscinaWorker {
  /** The worker's `threadId`. */
  readonly id: number;
  /** Tasks placed on it and not yet settled; Infinity while it runs an abortable task (it takes no other). */
  readonly currentUsage: number;
  readonly isRunningAbortableTask: boolean;
  /** Its tasks' run times (ms), with `workerHistogram: true`; null otherwise. */
  readonly histogram: PiscinaHistogramSummary | null;
  /** Being ended, not yet exited. */
  readonly terminating: boolean;
  /** Exited. */
  readonly destroyed: boolean;
}

/**
 * piscina's `loadBalancer` option: picks the worker for a task, or null to
 * leave the task queued (until a worker finishes a task or starts).
 */
export type PiscinaLoadBalancer = (task: PiscinaTask, workers: PiscinaWorker[]) => PiscinaWorker | null;

/** What the views count: the tasks placed on a worker, each abortable or not. */
interface Placed {
  readonly isAbortable: boolean;
}

/** A worker as piscina shows it: to the balancer, and as the argument of `workerCreate` and `workerDestroy`. */
class WorkerView implements PiscinaWorker {
  readonly worker: TaskWorker;
  readonly placed = new Set<Placed>();
  readonly #histogram: RecordableHistogram | null;

  constructor(worker: TaskWorker, histogram: boolean) {
    this.worker = worker;
    this.#histogram = histogram ? createHistogram() : null;
  }

  get id(): number {
    return this.worker.threadId;
  }

  get isRunningAbortableTask(): boolean {
    if (this.placed.size !== 1) return false;
    const [task] = this.placed;
    return task?.isAbortable === true;
  }

  get currentUsage(): number {
    return this.isRunningAbortableTask ? Infinity : this.placed.size;
  }

  get histogram(): PiscinaHistogramSummary | null {
    return this.#histogram === null ? null : summarize(this.#histogram);
  }

  get terminating(): boolean {
    return this.worker.state === 'retiring';
  }

  get destroyed(): boolean {
    return this.worker.state === 'exited';
  }

  /** A task placed here finished after `runMs`. */
  record(runMs: number): void {
    this.#histogram?.record(Math.max(1, Math.round(runMs * 1000)));
  }
}

const isLive = (worker: TaskWorker): boolean => worker.state === 'starting' || worker.state === 'ready';

/** One view per engine worker, the same object for as long as the worker lives (what events and the balancer get). */
export class WorkerViews {
  readonly #histogram: boolean;
  readonly #views = new WeakMap<TaskWorker, WorkerView>();
  /** The workers the pool started with: piscina counts them ready from the start, not once they have loaded. */
  readonly #initial = new WeakSet<TaskWorker>();

  constructor(histogram: boolean) {
    this.#histogram = histogram;
  }

  noteInitial(workers: Iterable<TaskWorker>): void {
    for (const worker of workers) this.#initial.add(worker);
  }

  isInitial(worker: TaskWorker): boolean {
    return this.#initial.has(worker);
  }

  viewOf(worker: TaskWorker): WorkerView {
    let view = this.#views.get(worker);
    if (view === undefined) {
      view = new WorkerView(worker, this.#histogram);
      this.#views.set(worker, view);
    }
    return view;
  }

  /** Whether `value` is the live view of a live worker. */
  isLiveView(value: unknown): value is WorkerView {
    return value instanceof WorkerView && this.#views.get(value.worker) === value && isLive(value.worker);
  }
}

/**
 * Placement by a user's `loadBalancer`, as piscina places tasks: the
 * balancer asked for each task with the workers' views, and its choice
 * handed to the engine, which sends the task to that worker at once.
 */
export class BalancedPlacement {
  readonly #balancer: PiscinaLoadBalancer;
  readonly #views: WorkerViews;

  constructor(balancer: PiscinaLoadBalancer, views: WorkerViews) {
    this.#balancer = balancer;
    this.#views = views;
  }

  /**
   * The views to offer: for a new task, the workers that are ready (and the
   * initial ones, ready from the start); when a worker becomes available,
   * every live worker, those still starting first (as piscina lists them).
   */
  views(workforce: Workforce<TaskRecord>, readyOnly: boolean): WorkerView[] {
    const starting: WorkerView[] = [];
    const ready: WorkerView[] = [];
    for (const worker of workforce.workers) {
      if (!isLive(worker)) continue;
      if (worker.state === 'ready') ready.push(this.#views.viewOf(worker));
      else if (!readyOnly || this.#views.isInitial(worker)) starting.push(this.#views.viewOf(worker));
    }
    return readyOnly ? [...ready, ...starting] : [...starting, ...ready];
  }

  /** The balancer's choice among `views`, if it is one of them and still live; undefined otherwise. */
  choose(task: PiscinaTask, views: WorkerView[]): WorkerView | undefined {
    const chosen: unknown = this.#balancer(task, views);
    return this.#views.isLiveView(chosen) ? chosen : undefined;
  }
}

export type { WorkerView };
