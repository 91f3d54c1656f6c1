import { PoolClosedError, WorkerExitedError, WorkerOutOfMemoryError, WorkerStartError } from '../errors.js';
import { fromWireError } from '../protocol/wire-error.js';
import type { RuntimeWorkerFactory } from '../runtime/runtime.js';
import { startProcessWorker } from '../runtime/process-runtime.js';
import { startThreadWorker } from '../runtime/thread-runtime.js';
import type { StatsCollector } from '../stats/collector.js';
import { publishWorkerExit, publishWorkerStart } from './channels.js';
import type { EngineEvents, WorkerExitInfo } from '../events.js';
import { describeLoadFailure } from './load-failure.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { ReadyLatch } from './ready-latch.js';
import { StartBackoff } from './start-backoff.js';
import { startWorker } from './start-worker.js';
import type { EndReason, SentTask, WorkerHandle } from './worker-handle.js';
import type { WorkerMessageHandlers } from './worker-messages.js';

/** How long a worker asked to exit may take before it is terminated. */
const EXIT_GRACE_MS = 2_000;

export interface WorkforceCallbacks<T extends SentTask> extends Pick<WorkerMessageHandlers<T>, 'result' | 'resultsRead' | 'progress'> {
  workerReady(worker: WorkerHandle<T>): void;
  degraded(error: Error): void;
  /** A worker ended; its unanswered tasks must be settled, failed or queued again. */
  workerGone(worker: WorkerHandle<T>, error: Error): void;
}

/**
 * Starts, replaces and ends workers: keeps the pool at its size, grows it
 * under pressure, retires idle workers, gives up on a worker that does not
 * load within `startTimeout`, and backs off exponentially when workers fail
 * to start (the pool is then degraded until one starts). Workers are started
 * one per turn of the event loop (starting one blocks the caller for a few
 * milliseconds), never in a burst inside the caller's call.
 */
export class Workforce<T extends SentTask = SentTask> {
  readonly workers: WorkerHandle<T>[] = [];
  taskNames: ReadonlySet<string> | undefined;
  lastStartError: Error | undefined;
  readonly ready: Promise<void>;
  readonly #moduleUrl: URL;
  readonly #options: ResolvedOptions;
  readonly #stats: StatsCollector;
  readonly #events: EngineEvents;
  readonly #callbacks: WorkforceCallbacks<T>;
  readonly #handlers: WorkerMessageHandlers<T>;
  readonly #startWorker: RuntimeWorkerFactory;
  #nextIndex = 0;
  readonly #backoff = new StartBackoff();
  #degraded = false;
  #ending = false;
  readonly #ready = new ReadyLatch();
  #exitWaiters: (() => void)[] = [];
  /** Workers asked for and not yet started (see #spawnSoon). */
  #pendingSpawns = 0;
  #spawnScheduled: NodeJS.Immediate | undefined;

  constructor(
    moduleUrl: URL,
    options: ResolvedOptions,
    stats: StatsCollector,
    events: EngineEvents,
    callbacks: WorkforceCallbacks<T>,
    startWorker?: RuntimeWorkerFactory,
  ) {
    this.#moduleUrl = moduleUrl;
    this.#options = options;
    this.#stats = stats;
    this.#events = events;
    this.#callbacks = callbacks;
    this.#startWorker = startWorker ?? (options.runtime === 'process' ? startProcessWorker : startThreadWorker);
    this.#handlers = {
      ready: (worker, taskNames) => {
        this.#onReady(worker, taskNames);
      },
      loadFailed: (worker, error, location) => {
        worker.lastError = fromWireError(error);
        worker.syntaxErrorAt = location;
        worker.endReason = 'load-failed';
      },
      heapOverLimit: (worker) => {
        this.retire(worker, 'recycle');
      },
      teardownFailed: (worker, error) => {
        this.#events.emit('workerError', { threadId: worker.threadId, error: fromWireError(error) });
      },
      result: callbacks.result,
      resultsRead: callbacks.resultsRead,
      progress: callbacks.progress,
    };
    this.ready = this.#ready.promise;
  }

  /** Workers starting or ready (retiring ones are on their way out), and those about to be started. */
  get liveCount(): number {
    let count = this.#pendingSpawns;
    for (const worker of this.workers) if (worker.state === 'starting' || worker.state === 'ready') count++;
    return count;
  }

  /** Workers asked for that have not been started yet. */
  get pendingSpawns(): number {
    return this.#pendingSpawns;
  }

  /** Ready workers with nothing sent to them unanswered. */
  get idleCount(): number {
    let count = 0;
    for (const worker of this.workers) if (worker.state === 'ready' && worker.unanswered === 0) count++;
    return count;
  }

  /**
   * Tasks that workers can take soon: one per idle worker, starting worker
   * and worker the pool may still start (up to `threads.max`, unless it is
   * degraded); with asyncTasksPerWorker = N, N each, and a busy worker's
   * room for more.
   */
  get freeSlots(): number {
    const perWorker = this.#options.asyncTasksPerWorker;
    let free = this.#pendingSpawns * perWorker;
    for (const worker of this.workers) {
      if (worker.state === 'starting') free += perWorker;
      else if (worker.state === 'ready') free += Math.max(0, perWorker - worker.unanswered);
    }
    if (!this.#degraded && !this.#ending) free += Math.max(0, this.#options.maxThreads - this.liveCount) * perWorker;
    return free;
  }

  get degraded(): boolean {
    return this.#degraded;
  }

  start(): void {
    const { minThreads, startEagerly } = this.#options;
    this.#ready.expect(minThreads);
    if (minThreads === 0 || startEagerly) {
      this.#spawnSoon(minThreads);
      return;
    }
    // The first worker starts now, so that its start (a fork and Node's boot, for a process) overlaps whatever the
    // caller does next; the others follow, one per turn of the event loop. A failure to start it is reported then too.
    this.#spawn(true);
    this.#spawnSoon(minThreads - 1);
  }

  /** Adds a worker when tasks wait, the pool may grow, and not enough are already starting. */
  grow(queued: number): void {
    if (this.#ending || this.#backoff.waiting || this.#degraded) return;
    // A worker started eagerly takes tasks while it loads: the dispatcher asks only when none has room.
    const enough = !this.#options.startEagerly && this.#startingCount() >= queued;
    if (!enough && this.liveCount < this.#options.maxThreads) this.#spawnSoon(1);
  }

  markBusy(worker: WorkerHandle<T>): void {
    worker.clearIdleTimer();
    worker.keepAlive(true);
  }

  markIdle(worker: WorkerHandle<T>): void {
    if (worker.state === 'retiring') {
      // Still referenced until it exits, so that a caller awaiting close() sees the exit.
      worker.askToExit(EXIT_GRACE_MS);
      return;
    }
    worker.keepAlive(false);
    if (this.#ending || worker.state !== 'ready' || this.liveCount <= this.#options.minThreads) return;
    worker.clearIdleTimer();
    worker.idleTimer = setTimeout(() => {
      worker.idleTimer = undefined;
      if (worker.unanswered === 0 && this.liveCount > this.#options.minThreads) this.retire(worker, 'idle');
    }, this.#options.idleTimeout);
    worker.idleTimer.unref();
  }

  /** Stops sending tasks to a worker; it exits once its tasks are answered. */
  retire(worker: WorkerHandle<T>, reason: EndReason): void {
    if (worker.state === 'exited' || worker.state === 'retiring') return;
    worker.state = 'retiring';
    worker.endReason = reason;
    if (worker.unanswered === 0) worker.askToExit(EXIT_GRACE_MS);
    this.#replenish();
  }

  /** Ends a worker now; what it was running is failed or queued again on exit. */
  terminate(worker: WorkerHandle<T>, reason: EndReason): void {
    if (worker.state === 'exited') return;
    worker.state = 'retiring';
    worker.endReason ??= reason;
    worker.runtime.terminate();
    this.#replenish();
  }

  /** Ends every worker: gracefully (finishing nothing new) or at once. Resolves when all have exited. */
  shutdown(graceful: boolean): Promise<void> {
    this.#ending = true;
    this.#pendingSpawns = 0;
    if (this.#spawnScheduled !== undefined) clearImmediate(this.#spawnScheduled);
    this.#spawnScheduled = undefined;
    this.#backoff.cancel();
    if (!this.#ready.settled) this.#ready.settle(new PoolClosedError('The pool was closed before its workers were ready'));
    for (const worker of [...this.workers]) {
      worker.endReason ??= 'close';
      const loading = worker.state === 'starting';
      worker.state = 'retiring';
      worker.keepAlive(true); // so that the caller awaiting close() sees the exits
      // A worker still loading its module does not run tasks yet: a thread is asked to leave, a process ended.
      if (loading) worker.endWhileLoading();
      else if (graceful) worker.askToExit(EXIT_GRACE_MS);
      else worker.runtime.terminate();
    }
    if (this.workers.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#exitWaiters.push(resolve));
  }

  #startingCount(): number {
    let starting = this.#pendingSpawns;
    for (const worker of this.workers) if (worker.state === 'starting') starting++;
    return starting;
  }

  /** Starts `count` more workers, one per turn of the event loop. */
  #spawnSoon(count: number): void {
    if (count <= 0 || this.#ending) return;
    if (this.#options.startEagerly) {
      for (let index = 0; index < count; index++) this.#spawn();
      return;
    }
    this.#pendingSpawns += count;
    this.#spawnScheduled ??= setImmediate(this.#spawnNext);
  }

  readonly #spawnNext = (): void => {
    this.#spawnScheduled = undefined;
    if (this.#pendingSpawns === 0 || this.#ending) return;
    this.#pendingSpawns--;
    this.#spawn();
    if (this.#pendingSpawns > 0) this.#spawnScheduled = setImmediate(this.#spawnNext);
  };

  /** `reportLater`: called from the constructor, so a failure is reported on the next turn, when the caller listens. */
  #spawn(reportLater = false): void {
    let worker: WorkerHandle<T>;
    try {
      worker = startWorker(this.#nextIndex++, this.#moduleUrl, this.#options, this.#startWorker, this.#handlers, (exited, exitCode, signal) => {
        this.#onExit(exited, exitCode, signal);
      });
    } catch (error) {
      const report = (): void => {
        this.#stats.workerStartFailures++;
        this.#onStartFailure(new WorkerStartError(`Could not start a worker for ${this.#moduleUrl.href}`, error));
      };
      if (reportLater) setImmediate(report);
      else report();
      return;
    }
    this.workers.push(worker);
  }

  #onReady(worker: WorkerHandle<T>, taskNames: readonly string[]): void {
    if (worker.state !== 'starting') return;
    worker.state = 'ready';
    worker.serving();
    this.taskNames = new Set(taskNames);
    worker.taskIndex = new Map(taskNames.map((name, index) => [name, index]));
    this.#backoff.succeeded();
    this.#stats.workersStarted++;
    this.#events.emit('workerStart', { threadId: worker.threadId });
    publishWorkerStart({ threadId: worker.threadId });
    if (this.#degraded) {
      this.#degraded = false;
      this.#events.emit('recovered');
    }
    this.#ready.workerReady();
    // A worker sent tasks while it loaded (startEagerly) keeps the host alive until they are answered.
    worker.keepAlive(worker.unanswered > 0);
    this.#replenish();
    this.#callbacks.workerReady(worker);
    if (worker.unanswered === 0) this.markIdle(worker);
  }

  #onExit(worker: WorkerHandle<T>, exitCode: number, signal: NodeJS.Signals | undefined): void {
    if (worker.state === 'exited') return;
    const wasStarting = worker.state === 'starting';
    worker.state = 'exited';
    worker.clearTimers();
    this.workers.splice(this.workers.indexOf(worker), 1);
    this.#stats.aliveUsOfExited += (performance.now() - worker.startedAt) * 1000;
    this.#stats.busyUsOfExited += worker.runTimeUs;
    const reason: WorkerExitInfo['reason'] = worker.endReason ?? 'crash';
    if (wasStarting && reason !== 'close') {
      this.#stats.workerStartFailures++;
      const cause = worker.lastError ?? new Error(`The worker exited with code ${String(exitCode)} before it loaded the module`);
      const error = new WorkerStartError(describeLoadFailure(this.#moduleUrl, cause, worker.syntaxErrorAt), cause);
      // Tasks sent to it while it loaded (startEagerly) never started: they are queued again (or failed, if the pool is now degraded).
      if (worker.unanswered > 0) this.#callbacks.workerGone(worker, error);
      this.#onStartFailure(error);
    } else {
      if (reason === 'crash') {
        this.#stats.workerCrashes++;
        if (worker.lastError !== undefined) this.#events.emit('workerError', { threadId: worker.threadId, error: worker.lastError });
      }
      const outOfMemory = (worker.lastError as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const error = outOfMemory
        ? new WorkerOutOfMemoryError(worker.threadId, exitCode, worker.lastError)
        : new WorkerExitedError(worker.threadId, exitCode, worker.lastError, signal);
      this.#callbacks.workerGone(worker, error);
    }
    this.#events.emit('workerExit', { threadId: worker.threadId, exitCode, reason });
    publishWorkerExit({ threadId: worker.threadId, exitCode, reason });
    this.#replenish();
    if (this.workers.length === 0 && this.#exitWaiters.length > 0) {
      const waiters = this.#exitWaiters;
      this.#exitWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  #onStartFailure(error: Error): void {
    this.lastStartError = error;
    this.#backoff.failed();
    if (this.#ready.waiting) this.#ready.settle(error);
    let anyReady = false;
    for (const worker of this.workers) if (worker.state === 'ready') anyReady = true;
    if (!anyReady && !this.#degraded && !this.#ending) {
      this.#degraded = true;
      this.#events.emit('degraded', { error });
      this.#callbacks.degraded(error);
    }
    this.#scheduleRespawn();
  }

  #scheduleRespawn(): void {
    if (this.#ending) return;
    this.#backoff.schedule(() => {
      if (!this.#ending && this.liveCount < Math.max(this.#options.minThreads, 1)) this.#spawnSoon(1);
    });
  }

  /** Brings the pool back to `min` workers, unless start-up is failing (then one at a time, with back-off). */
  #replenish(): void {
    if (this.#ending || this.#backoff.waiting) return;
    if (this.#backoff.failing) {
      if (this.#startingCount() === 0 && this.liveCount < this.#options.minThreads) this.#scheduleRespawn();
      return;
    }
    this.#spawnSoon(this.#options.minThreads - this.liveCount);
  }

}
