import { EventEmitterAsyncResource } from 'node:events';
import type { Transferable, Worker } from 'node:worker_threads';
import { PoolDestroyedError } from '../errors.js';
import { transfer } from '../protocol/transfer.js';
import { Engine } from '../scheduler/engine.js';
import { PiscinaAbortError, PiscinaArgumentError, PiscinaCloseTimeoutError, PiscinaFilenameError, PiscinaQueueFullError, PiscinaTerminatedError } from './errors.js';
import { BalancedPlacement, WorkerViews } from './balancer.js';
import { Timings, summarize, type PiscinaHistogram, type PiscinaHistogramSummary } from './histogram.js';
import { isMovable, move, unwrapMovable } from './movable.js';
import { engineOptions, fillOptions, maybeFileURLToPath, type FilledOptions, type PiscinaOptions } from './options.js';
import { ArrayTaskQueue, FixedQueue, type TaskQueue } from './queues.js';
import { queueOptionsSymbol, transferableSymbol, valueSymbol } from './symbols.js';
import { PendingTask, type AbortSignalLike } from './task.js';
import type { WorkerView } from './balancer.js';
import { Workers } from './workers.js';
import { inPoolWorker, poolWorkerData } from './worker-state.js';
import { workerModuleUrl, type PiscinaRequest } from './worker-request.js';

export const version = '5.3.2';

/** piscina's `run()` options. */
export interface RunOptions {
  transferList?: readonly Transferable[];
  filename?: string | null;
  signal?: AbortSignalLike | null;
  name?: string | null;
}

export interface CloseOptions {
  force?: boolean;
}

const workerModule = new URL('./worker-module.js', import.meta.url);

/**
 * piscina 5's `Piscina` class on Spindle's engine: same options, methods,
 * properties and events, so that changing the import is the whole migration
 * (docs/migrating-from-piscina.md lists what differs). The engine runs the
 * tasks, recovers from crashes and settles every task once; this class keeps
 * piscina's queue (a custom `taskQueue` included), its admission rules
 * (`maxQueue`, abortable tasks alone on a worker) and its events.
 */
export class Piscina<T = unknown, R = unknown> extends EventEmitterAsyncResource {
  readonly #options: FilledOptions;
  readonly #engine: Engine;
  readonly #workers: Workers;
  readonly #queue: TaskQueue;
  /** Abortable tasks that wait for a worker of their own (they count in `queueSize`). */
  readonly #skipQueue: PendingTask[] = [];
  readonly #running = new Set<PendingTask>();
  #abortableRunning = 0;
  readonly #timings: Timings | null;
  /** Placement by the `loadBalancer` option, when given (piscina's scheduling, see #runPlaced). */
  readonly #placement: BalancedPlacement | undefined;
  /** piscina's view of each worker (PiscinaWorker): for the balancer and the workerCreate / workerDestroy events. */
  readonly #views: WorkerViews;
  readonly #startedAt = performance.now();
  #completed = 0;
  #needsDrain = false;
  #closing = false;
  #destroying = false;
  #closed: Promise<void> | undefined;
  #flushWaiters: (() => void)[] = [];
  /** A check for `drain` / `needsDrain` is queued: one per turn of microtasks, however many tasks start or finish in it. */
  #drainCheckQueued = false;
  readonly #checkDrain = (): void => {
    this.#drainCheckQueued = false;
    this.#maybeDrain();
  };

  constructor(options: PiscinaOptions = {}) {
    super({ name: 'Piscina' });
    this.#options = fillOptions(options);
    this.#queue = this.#options.taskQueue;
    this.#timings = this.#options.recordTiming ? new Timings() : null;
    const views = new WorkerViews(this.#options.workerHistogram);
    this.#views = views;
    const placement = this.#options.loadBalancer === undefined ? undefined : new BalancedPlacement(this.#options.loadBalancer, views);
    this.#placement = placement;
    this.#workers = new Workers(this, views, (started) => {
      // piscina counts its first workers ready from the start: their start makes no new round of placement.
      if (placement === undefined || (started !== undefined && !views.isInitial(started))) this.#pump();
    });
    const { filename, name, niceIncrement } = this.#options;
    this.#engine = new Engine(workerModuleUrl(workerModule, filename, name, niceIncrement), engineOptions(this.#options), {
      emit: (name, ...args) => {
        this.#workers.engineEvent(name, args[0]);
      },
      resultsRead: () => {
        // With a balancer, each finished task makes its round of placement (as in piscina).
        if (placement === undefined) this.#pump();
      },
    });
    this.#workers.attach(this.#engine.workforce);
    this.#engine.start();
    this.#workers.announceInitial();
    if (placement !== undefined) {
      // piscina's first workers become available in a microtask each, after the caller's first run() calls.
      for (let worker = 0; worker < this.#engine.workforce.workers.length; worker++) {
        queueMicrotask(() => {
          this.#pump();
        });
      }
    }
  }

  run(task: T, options: RunOptions = {}): Promise<R> {
    const invalid = checkRunOptions(options);
    if (invalid !== undefined) return Promise.reject(invalid);
    const filename = options.filename ?? this.#options.filename;
    const name = options.name ?? this.#options.name;
    if (typeof filename !== 'string') return Promise.reject(new PiscinaFilenameError());
    if (this.#closing || this.#destroying) return Promise.reject(new PiscinaAbortError('queue is being terminated'));
    const signal = options.signal ?? null;
    if (signal !== null && 'aborted' in signal && signal.aborted) return Promise.reject(new PiscinaAbortError(signal.reason));
    let value: unknown = task;
    let transferList: readonly Transferable[] = options.transferList ?? NOTHING_TO_TRANSFER;
    if (isMovable(task)) {
      const moved = unwrapMovable(task);
      value = moved.value;
      transferList = [...transferList, ...moved.transferList];
    }
    let pending!: PendingTask;
    const promise = new Promise<unknown>((resolve, reject) => {
      pending = new PendingTask({ task, value, filename: maybeFileURLToPath(filename), name, transferList, signal }, resolve, reject);
    });
    if (this.#placement !== undefined) {
      if (!this.#runPlaced(pending)) return promise as Promise<R>;
    } else if (this.#queueSize() === 0 && this.#hasRoom(pending.isAbortable)) {
      this.#start(pending);
    } else if (this.#queueSize() >= this.#options.maxQueue) {
      pending.done(new PiscinaQueueFullError(this.#options.maxQueue));
      return promise as Promise<R>;
    } else {
      this.#queue.push(pending);
    }
    if (signal !== null) {
      pending.listen((reason) => {
        this.#abort(pending, reason);
      });
    }
    this.#queueDrainCheck();
    return promise as Promise<R>;
  }

  /**
   * run() with a balancer, as piscina's runTask(): behind queued tasks it
   * queues (and starts a worker if the pool may grow); otherwise it asks the
   * balancer, and a task it places nowhere is queued, or refused when
   * `maxQueue` is 0. False when the task was refused.
   */
  #runPlaced(pending: PendingTask): boolean {
    if (this.#queueSize() > 0) {
      if (this.#queueSize() >= this.#options.maxQueue) {
        pending.done(new PiscinaQueueFullError(this.#options.maxQueue));
        return false;
      }
      this.#queue.push(pending);
      this.#growForQueued();
      return true;
    }
    if (this.#place(pending, true)) return true;
    this.#growForQueued();
    if (this.#options.maxQueue === 0) {
      this.#unqueue(pending);
      pending.done(new PiscinaQueueFullError(0));
      return false;
    }
    return true;
  }

  /** Asks the balancer for a worker for `pending`: started there, or queued again (at the tail unless stricterFIFO). */
  #place(pending: PendingTask, readyOnly: boolean, views = this.#placement?.views(this.#engine.workforce, readyOnly)): boolean {
    const view = views === undefined ? undefined : this.#placement?.choose(pending, views);
    if (view !== undefined) {
      this.#start(pending, view);
      return true;
    }
    const toTail = !this.#options.stricterFIFO;
    if (pending.isAbortable) {
      if (toTail) this.#skipQueue.push(pending);
      else this.#skipQueue.unshift(pending);
    } else if (toTail || this.#queue.unshift === undefined) this.#queue.push(pending);
    else this.#queue.unshift(pending);
    return false;
  }

  /** With a balancer: a worker became available (it started, or finished a task): place queued tasks until the balancer places none. */
  #placeQueued(): void {
    const views = this.#placement?.views(this.#engine.workforce, false);
    let mayStart = Math.ceil(this.#options.maxThreads) - this.#engine.workforce.liveCount;
    while (this.#skipQueue.length > 0 || this.#queue.size > 0) {
      const pending = this.#skipQueue.shift() ?? this.#queue.shift();
      if (pending === null) break;
      if (!(pending instanceof PendingTask) || pending.settled) continue;
      if (this.#place(pending, false, views)) continue;
      if (mayStart-- <= 0) break;
      this.#engine.workforce.grow(1);
    }
  }

  #growForQueued(): void {
    if (this.#engine.workforce.liveCount < Math.ceil(this.#options.maxThreads)) this.#engine.workforce.grow(1);
  }

  #unqueue(pending: PendingTask): void {
    const index = this.#skipQueue.indexOf(pending);
    if (index >= 0) this.#skipQueue.splice(index, 1);
    else this.#queue.remove(pending);
  }

  /** Room for one more task on a worker now (or on one the engine may start): an abortable task needs a worker of its own. */
  #hasRoom(abortable: boolean): boolean {
    if (this.#destroying || this.#engine.queue.size > 0) return false;
    const limit = abortable ? 1 : this.#options.concurrentTasksPerWorker;
    let withRoom = 0;
    for (const worker of this.#engine.workforce.workers) {
      if ((worker.state === 'starting' || worker.state === 'ready') && worker.unanswered < limit) withRoom++;
    }
    // A worker running an abortable task takes no other (it may be ended to stop it): it has no room left.
    if (!abortable && limit > 1) withRoom -= this.#abortableRunning;
    if (withRoom > 0) return true;
    return this.#engine.workforce.liveCount < Math.ceil(this.#options.maxThreads);
  }

  #queueSize(): number {
    return this.#queue.size + this.#skipQueue.length + this.#engine.queue.size;
  }

  #start(pending: PendingTask, view?: WorkerView): void {
    pending.started = performance.now();
    if (this.#timings !== null) Timings.record(this.#timings.waitTime, pending.started - pending.created);
    this.#running.add(pending);
    // A task for the pool's own handler travels alone (see worker-request.ts).
    const own = pending.filename === this.#options.filename && pending.name === this.#options.name;
    const request: unknown = own ? pending.task : ({ filename: pending.filename, name: pending.name, task: pending.task } satisfies PiscinaRequest);
    if (pending.isAbortable) {
      pending.controller = new AbortController();
      this.#abortableRunning++;
    }
    let result: Promise<unknown>;
    try {
      const argument = pending.transferList.length > 0 ? transfer(request, pending.transferList) : request;
      const options = pending.controller === undefined ? undefined : { signal: pending.controller.signal };
      const submitted = this.#engine.submitTo(view?.worker, own ? 'runDefault' : 'run', argument, options);
      result = submitted.promise;
      // Where it went: the balancer's choice, or the worker the engine sent it to at once (it usually does, a worker
      // having room); a task the engine queued counts on no worker.
      const worker = view?.worker ?? submitted.task?.worker;
      if (worker !== undefined) {
        pending.placedOn = this.#views.viewOf(worker);
        pending.placedOn.placed.add(pending);
      }
    } catch (error) {
      result = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    result.then(
      (value) => {
        this.#finished(pending, null, value);
      },
      (error: unknown) => {
        this.#finished(pending, this.#workers.piscinaError(error), undefined);
      },
    );
  }

  #finished(pending: PendingTask, error: Error | null, value: unknown): void {
    this.#running.delete(pending);
    if (pending.isAbortable) this.#abortableRunning--;
    this.#completed++;
    if (this.#timings !== null && pending.started !== undefined) Timings.record(this.#timings.runTime, performance.now() - pending.started);
    if (pending.placedOn !== undefined) {
      pending.placedOn.placed.delete(pending);
      if (pending.started !== undefined) pending.placedOn.record(performance.now() - pending.started);
    }
    pending.done(error, value);
    this.#pump();
    this.#queueDrainCheck();
  }

  #queueDrainCheck(): void {
    if (this.#drainCheckQueued) return;
    this.#drainCheckQueued = true;
    queueMicrotask(this.#checkDrain);
  }

  #abort(pending: PendingTask, reason: unknown): void {
    if (pending.settled) return;
    if (pending.started === undefined) {
      this.#unqueue(pending);
      pending.abort(reason);
      this.#checkFlushed();
      return;
    }
    pending.abort(reason);
    pending.controller?.abort(reason);
    // With a balancer, piscina's rule: the worker a task was placed on is ended when the task is aborted, started or
    // not (the tasks waiting behind it there run elsewhere); the pool keeps its minThreads.
    const worker = pending.placedOn?.worker;
    if (this.#placement !== undefined && worker !== undefined) this.#engine.workforce.terminate(worker, 'abort');
  }

  /** Moves queued tasks to the engine while workers have room. */
  #pump(): void {
    if (this.#placement !== undefined) {
      this.#placeQueued();
      this.#checkFlushed();
      return;
    }
    while (this.#skipQueue.length > 0 && this.#hasRoom(true)) {
      const pending = this.#skipQueue.shift();
      if (pending !== undefined && !pending.settled) this.#start(pending);
    }
    while (this.#queue.size > 0 && this.#hasRoom(false)) {
      const pending = this.#queue.shift();
      if (pending === null) break;
      if (!(pending instanceof PendingTask) || pending.settled) continue;
      if (pending.isAbortable && !this.#hasRoom(true)) this.#skipQueue.push(pending);
      else this.#start(pending);
    }
    this.#checkFlushed();
  }

  #checkFlushed(): void {
    if (this.#flushWaiters.length === 0 || this.#running.size > 0 || this.#queueSize() > 0) return;
    const waiters = this.#flushWaiters;
    this.#flushWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #maybeDrain(): void {
    const capacity = Math.ceil(this.#options.maxThreads) * this.#options.concurrentTasksPerWorker;
    const usage = this.#running.size;
    if (usage >= capacity) {
      if (!this.#needsDrain) {
        this.#needsDrain = true;
        this.emit('needsDrain');
      }
    } else if (this.#needsDrain) {
      this.#needsDrain = false;
      this.emit('drain');
    }
  }

  /** Finishes queued and running tasks (with `force`, drops the queued ones), then ends the workers; emits `close`. */
  close(options: CloseOptions = {}): Promise<void> {
    if (typeof options !== 'object' || (options as unknown) === null) return Promise.reject(new PiscinaArgumentError('options must be an object'));
    if (options.force !== undefined && typeof options.force !== 'boolean') return Promise.reject(new PiscinaArgumentError('force argument must be a boolean'));
    this.#closed ??= this.#close(options.force === true);
    return this.#closed;
  }

  async #close(force: boolean): Promise<void> {
    this.#closing = true;
    if (force) for (const pending of this.#takeQueued()) pending.done(new PiscinaAbortError('pool is closed'));
    const flushed = new Promise<void>((resolve) => {
      this.#flushWaiters.push(resolve);
      this.#checkFlushed();
    });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(resolve, this.#options.closeTimeout, 'timeout');
      timer.unref();
    });
    try {
      if ((await Promise.race([flushed, timedOut])) === 'timeout') this.emit('error', new PiscinaCloseTimeoutError());
    } finally {
      clearTimeout(timer);
      await this.destroy();
      this.emit('close');
    }
  }

  #takeQueued(): PendingTask[] {
    const taken = this.#skipQueue.splice(0);
    for (let pending = this.#queue.shift(); pending !== null; pending = this.#queue.shift()) if (pending instanceof PendingTask) taken.push(pending);
    return taken;
  }

  /** Rejects every pending task ('Terminating worker thread') and ends the workers now. */
  async destroy(): Promise<void> {
    this.#destroying = true;
    for (const pending of this.#takeQueued()) pending.done(new PiscinaTerminatedError());
    this.#engine.beginClosing();
    this.#engine.rejectAll(() => new PoolDestroyedError());
    await this.#engine.workforce.shutdown(false);
    this.#engine.finishClosing();
  }

  [Symbol.dispose](): void {
    void this.close();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  get options(): FilledOptions {
    return this.#options;
  }

  get maxThreads(): number {
    return this.#options.maxThreads;
  }

  get minThreads(): number {
    return this.#options.minThreads;
  }

  /** The `worker_threads` Worker of every live worker. */
  get threads(): Worker[] {
    return this.#workers.threads();
  }

  /** Workers with no task. */
  get idleThreads(): number {
    let idle = 0;
    for (const worker of this.#engine.workforce.workers) if ((worker.state === 'starting' || worker.state === 'ready') && worker.unanswered === 0) idle++;
    return idle;
  }

  get queueSize(): number {
    return this.#queueSize();
  }

  get completed(): number {
    return this.#completed;
  }

  get histogram(): PiscinaHistogram {
    return this.#timings?.view() ?? (NO_TIMINGS as unknown as PiscinaHistogram);
  }

  get runTime(): PiscinaHistogramSummary | undefined {
    return this.#timings === null ? undefined : summarize(this.#timings.runTime);
  }

  get waitTime(): PiscinaHistogramSummary | undefined {
    return this.#timings === null ? undefined : summarize(this.#timings.waitTime);
  }

  /** Milliseconds since the pool was created. */
  get duration(): number {
    return performance.now() - this.#startedAt;
  }

  /** The share of the pool's capacity (duration × maxThreads) spent running tasks, from 0 to 1. */
  get utilization(): number {
    const runTime = this.#timings?.runTime;
    if (runTime === undefined || runTime.count === 0) return 0;
    const capacity = this.duration * this.#options.maxThreads;
    return ((runTime.mean / 1000) * runTime.count) / capacity;
  }

  get needsDrain(): boolean {
    return this.#needsDrain;
  }

  static get isWorkerThread(): boolean {
    return inPoolWorker();
  }

  static get workerData(): unknown {
    return poolWorkerData();
  }

  static get version(): string {
    return version;
  }

  static get Piscina(): typeof Piscina {
    return Piscina;
  }

  static get FixedQueue(): typeof FixedQueue {
    return FixedQueue;
  }

  static get ArrayTaskQueue(): typeof ArrayTaskQueue {
    return ArrayTaskQueue;
  }

  static move(value: unknown): unknown {
    return move(value);
  }

  static get transferableSymbol(): typeof transferableSymbol {
    return transferableSymbol;
  }

  static get valueSymbol(): typeof valueSymbol {
    return valueSymbol;
  }

  static get queueOptionsSymbol(): typeof queueOptionsSymbol {
    return queueOptionsSymbol;
  }
}

const NOTHING_TO_TRANSFER: readonly Transferable[] = Object.freeze([]);

const NO_TIMINGS = Object.freeze({ runTime: undefined, waitTime: undefined, resetRunTime: () => undefined, resetWaitTime: () => undefined });

function checkRunOptions(options: unknown): Error | undefined {
  if (typeof options !== 'object' || options === null) return new PiscinaArgumentError('options must be an object');
  const given = options as Record<string, unknown>;
  if (given.transferList !== undefined && !Array.isArray(given.transferList)) return new PiscinaArgumentError('transferList argument must be an Array');
  if (given.filename != null && typeof given.filename !== 'string') return new PiscinaArgumentError('filename argument must be a string');
  if (given.name != null && typeof given.name !== 'string') return new PiscinaArgumentError('name argument must be a string');
  if (given.signal != null && typeof given.signal !== 'object') return new PiscinaArgumentError('signal argument must be an object');
  return undefined;
}

