import type { Transferable } from 'node:worker_threads';
import {
  ArgumentNotCloneableError,
  PoolClosedError,
  PoolDegradedError,
  QueueFullError,
  QueueTimeoutError,
  ResultNotCloneableError,
  TaskAbortedError,
  TaskTimeoutError,
  TransferredArgumentLostError,
  UnknownTaskError,
} from '../errors.js';
import { chunkedTaskOf, MessageKind, Outcome, type OutcomeCode } from '../protocol/messages.js';
import { readResultLog } from '../protocol/result-log.js';
import { isTransferred } from '../protocol/transfer.js';
import { fromWireError, toWireError, type WireError } from '../protocol/wire-error.js';
import { StatsCollector } from '../stats/collector.js';
import type { PoolState } from '../stats/snapshot.js';
import { AbortRegistry } from './abort-registry.js';
import { Deadlines } from './deadlines.js';
import { Dispatcher } from './dispatcher.js';
import type { EngineEvents } from './events.js';
import type { ResolvedOptions } from './options.js';
import { shouldRetry } from './retry-policy.js';
import { defaultRunSettings, resolveRunSettings, validateTaskName, type RunSettings } from './run-settings.js';
import { TaskQueue } from './task-queue.js';
import { TaskRecord, type RunOptions } from './task.js';
import { Waiters } from './waiters.js';
import { Watchdog } from './watchdog.js';
import type { WorkerHandle } from './worker-handle.js';
import { Workforce } from './workforce.js';

/** Submissions in one synchronous burst share a timestamp, taken anew every this many. */
const CLOCK_REFRESH = 32;

/**
 * One executor shared by every submission (rather than a new closure per task):
 * it hands the promise's resolvers over through these two variables.
 */
let capturedResolve: (value: unknown) => void = () => undefined;
let capturedReject: (error: Error) => void = () => undefined;
function captureResolvers(resolve: (value: unknown) => void, reject: (error: Error) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * The scheduler: queue, dispatch, results, cancellation, retries, and the
 * rule that every task settles exactly once. Deadlines live in deadlines.ts,
 * the watch over running workers in watchdog.ts, batching in dispatcher.ts,
 * and starting and ending workers in workforce.ts.
 */
export class Engine {
  readonly options: ResolvedOptions;
  readonly queue = new TaskQueue<TaskRecord>();
  readonly stats = new StatsCollector();
  readonly workforce: Workforce;
  readonly #dispatcher: Dispatcher;
  readonly #deadlines: Deadlines;
  readonly #watchdog: Watchdog;
  readonly #events: EngineEvents;
  #state: PoolState = 'starting';
  #pumpScheduled = false;
  readonly #abortRegistry = new AbortRegistry<TaskRecord>((task) => {
    this.#abort(task);
  });
  readonly #defaultSettings: RunSettings;
  /** performance.now(), refreshed every CLOCK_REFRESH enqueues within one synchronous burst. */
  #clock = 0;
  #enqueuesSinceClock = 0;
  /** performance.now() for the results of one message, taken at its first result. */
  #resultsClock = -1;
  /** Submitted and not yet settled. */
  #unsettled = 0;
  #backpressure = false;
  readonly #idleWaiters = new Waiters();
  readonly #drainWaiters = new Waiters();

  constructor(moduleUrl: URL, options: ResolvedOptions, events: EngineEvents) {
    this.options = options;
    this.#defaultSettings = defaultRunSettings(options);
    this.#events = events;
    this.#deadlines = new Deadlines({
      queueExpired: (task) => {
        this.#queueExpired(task);
      },
      runExpired: (task) => {
        this.#runExpired(task);
      },
    });
    this.workforce = new Workforce(moduleUrl, options, this.stats, events, {
      workerReady: () => {
        if (this.#state === 'starting' || this.#state === 'degraded') this.#setState('running');
        this.#pump();
      },
      degraded: (error) => {
        if (this.#state === 'closed') return;
        // While closing, the state stays 'closing', but queued tasks still fail fast: left queued, close() would wait forever.
        if (this.#state !== 'closing') this.#setState('degraded');
        for (const task of this.queue.drain()) this.#settle(task, new PoolDegradedError(error));
        this.#checkDrain();
      },
      workerGone: (worker, error) => {
        this.#recoverTasksOf(worker, error);
      },
      result: (worker, outcome, value, runTimeUs) => {
        this.#onResult(worker, outcome, value, runTimeUs);
      },
      resultsRead: (worker) => {
        this.#afterResults(worker);
      },
      progress: (worker, seq, value, event) => {
        this.#onProgress(worker, seq, value, event);
      },
    });
    this.#watchdog = new Watchdog(options.unresponsiveTimeout, {
      workers: () => this.workforce.workers,
      canTakeMore: () => this.workforce.idleCount > 0 || this.workforce.liveCount < options.maxThreads,
      overran: (tasks) => {
        this.#overran(tasks);
      },
      unresponsive: (worker) => {
        this.#unresponsive(worker);
      },
    });
    this.#dispatcher = new Dispatcher(this.queue, this.workforce, options.maxTasksPerWorker, options.busyPollUs, {
      sent: (task) => {
        this.#deadlines.armRun(task);
        this.#watchdog.wake();
      },
      notCloneable: (task, error) => {
        this.#settle(task, new ArgumentNotCloneableError(task.name, error));
      },
    });
  }

  get state(): PoolState {
    return this.#state;
  }

  #setState(state: PoolState): void {
    if (state === this.#state) return;
    this.#state = state;
    this.#events.emit('stateChange', { state });
  }

  start(): void {
    this.workforce.start();
    if (this.#state === 'starting' && this.options.minThreads === 0) this.#setState('running');
  }

  submit(name: string, argument: unknown, options: RunOptions | undefined): Promise<unknown> {
    if (this.#state === 'closing' || this.#state === 'closed') return Promise.reject(new PoolClosedError());
    if (this.#state === 'degraded') return Promise.reject(new PoolDegradedError(this.workforce.lastStartError));
    validateTaskName(name);
    const settings = resolveRunSettings(options, this.options, this.#defaultSettings);
    const knownTasks = this.workforce.taskNames;
    const taskName = chunkedTaskOf(name) ?? name;
    if (knownTasks !== undefined && !knownTasks.has(taskName)) return Promise.reject(new UnknownTaskError(taskName, [...knownTasks]));
    if (!this.#queueHasRoom()) {
      this.stats.rejectedQueueFull++;
      if (!this.#backpressure) {
        this.#backpressure = true;
        const queued = this.queue.size;
        this.#events.emit('backpressure', { waiting: queued - this.workforce.freeSlots, maxQueue: this.options.maxQueue, queued });
      }
      return Promise.reject(new QueueFullError(this.options.maxQueue));
    }
    const signal = settings.signal;
    if (signal?.aborted === true) return Promise.reject(new TaskAbortedError(signal.reason));
    let transferList: readonly Transferable[] = [];
    if (isTransferred(argument)) {
      transferList = argument.transferList;
      argument = argument.value;
    }
    const promise = new Promise<unknown>(captureResolvers);
    const task = new TaskRecord(name, argument, transferList, settings, capturedResolve, capturedReject);
    this.stats.submitted++;
    this.#unsettled++;
    if (signal !== undefined) this.#abortRegistry.add(signal, task);
    this.#enqueue(task, false);
    this.#deadlines.armQueue(task);
    return promise;
  }

  /** Queues a task: a new one or a retry (timed now), or one that did not start where it was sent (keeps its time). */
  #enqueue(task: TaskRecord, front: boolean, keepTime = false): void {
    if (!keepTime) {
      if (!this.#pumpScheduled || ++this.#enqueuesSinceClock >= CLOCK_REFRESH) {
        this.#clock = performance.now();
        this.#enqueuesSinceClock = 0;
      }
      task.enqueuedAt = this.#clock;
    }
    if (front) this.queue.pushFront(task);
    else this.queue.push(task);
    if (!this.#pumpScheduled) {
      this.#pumpScheduled = true;
      queueMicrotask(this.#pump);
    }
  }

  readonly #pump = (): void => {
    this.#pumpScheduled = false;
    this.#dispatcher.dispatchAll();
    this.#checkDrain();
  };

  /** One RESULTS record: the answer to the worker's oldest unanswered task. */
  #onResult(worker: WorkerHandle, outcome: OutcomeCode, value: unknown, runTimeUs: number): void {
    const answer = worker.answer();
    if (answer === undefined) return;
    const { task, seq } = answer;
    if (outcome !== Outcome.Skipped) {
      if (this.#resultsClock < 0) this.#resultsClock = performance.now();
      this.#recordRun(worker, task, outcome, runTimeUs, this.#resultsClock);
    }
    if (worker.owns(task, seq)) this.#settleOutcome(worker, task, outcome, value);
  }

  #recordRun(worker: WorkerHandle, task: TaskRecord, outcome: OutcomeCode, runTimeUs: number, now: number): void {
    if (outcome === Outcome.UnknownTask) return;
    this.#dispatcher.estimates.record(task.name, runTimeUs);
    worker.runTimeUs += runTimeUs;
    worker.tasksCompleted++;
    this.stats.recordRun(runTimeUs, (now - task.enqueuedAt) * 1000 - runTimeUs);
  }

  #afterResults(worker: WorkerHandle): void {
    this.#resultsClock = -1;
    worker.lastActiveAt = Date.now();
    if (worker.unanswered === 0) this.workforce.markIdle(worker);
    else this.#dispatcher.expectResults(worker);
    this.#pump();
  }

  /** Settles (or retries) a task that its worker answered, from a message or from the result log. */
  #settleOutcome(worker: WorkerHandle, task: TaskRecord, outcome: OutcomeCode, value: unknown): void {
    task.worker = undefined;
    switch (outcome) {
      case Outcome.Ok:
        this.#settle(task, undefined, value);
        break;
      case Outcome.Threw:
        worker.errors++;
        this.#fail(task, fromWireError(value as WireError), false);
        break;
      case Outcome.NotCloneable:
        this.#settle(task, new ResultNotCloneableError(task.name, fromWireError(value as WireError)));
        break;
      case Outcome.UnknownTask:
        this.#settle(task, new UnknownTaskError(chunkedTaskOf(task.name) ?? task.name, value as string[]));
        break;
      case Outcome.Skipped:
        // Not run, though neither aborted nor taken back: it runs elsewhere.
        this.#requeue([task], undefined);
        break;
    }
  }

  #onProgress(worker: WorkerHandle, seq: number, value: unknown, event: string | undefined): void {
    const task = worker.taskAt(seq);
    if (task === undefined) return;
    try {
      if (event === undefined) task.settings.onProgress?.(value);
      else task.settings.onEvent?.(event, value);
    } catch (error) {
      this.reportCallbackError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** A caller's callback threw (onProgress, onEvent, a beforeClose hook): reported, never thrown. */
  reportCallbackError(error: Error): void {
    this.#events.emit('callbackError', { error });
  }

  /** The task ran past its timeout. */
  #runExpired(task: TaskRecord): void {
    const worker = task.worker;
    const timeout = task.timeout;
    if (worker === undefined || timeout === undefined) return;
    this.stats.timedOut++;
    const error = new TaskTimeoutError(timeout);
    this.#stopRunning(worker, task, error);
    task.worker = undefined;
    this.#fail(task, error, true);
  }

  /** The task waited `queueTimeout` without starting: wherever it waits, it is taken out and rejected. */
  #queueExpired(task: TaskRecord): void {
    const queueTimeout = task.queueTimeout ?? 0;
    const worker = task.worker;
    if (worker === undefined) {
      this.queue.remove(task);
      this.#settle(task, new QueueTimeoutError(queueTimeout));
      this.#checkDrain();
      return;
    }
    if (task.seq <= worker.claimedSeq) return; // it started in time
    // It waits in the worker behind others: take back everything there that has not started.
    const taken = worker.takeBack(worker.busy);
    const index = taken.indexOf(task);
    if (index >= 0) {
      taken.splice(index, 1);
      this.#settle(task, new QueueTimeoutError(queueTimeout));
    }
    this.#requeue(taken, undefined);
    this.#checkDrain();
  }

  /** The watchdog took these tasks back from behind a call that overran: they run elsewhere. */
  #overran(tasks: TaskRecord[]): void {
    this.stats.takenBack += tasks.length;
    this.#requeue(tasks, undefined);
  }

  /** The watchdog found a worker that runs nothing and takes nothing: its tasks run elsewhere, and it is replaced. */
  #unresponsive(worker: WorkerHandle): void {
    const reason = new Error(
      `Worker ${String(worker.threadId)} stopped taking the tasks it was sent for ${String(this.options.unresponsiveTimeout)} ms (unresponsiveTimeout) while running none: its event loop is blocked outside any task, or it no longer reads its messages. It was replaced.`,
    );
    worker.lastError = reason;
    const tasks = worker.takeBack(true);
    this.stats.takenBack += tasks.length;
    this.#requeue(tasks, reason);
    // A worker that started a task meanwhile is alive after all.
    if (!worker.busy) this.workforce.terminate(worker, 'unresponsive');
  }

  /**
   * Puts back at the front of the queue, in their order, tasks that were sent
   * but did not start. A task whose argument was moved to that worker cannot
   * be sent again: it fails with ERR_TRANSFERRED_ARGUMENT_LOST.
   */
  #requeue(tasks: readonly TaskRecord[], cause: Error | undefined): void {
    for (let index = tasks.length - 1; index >= 0; index--) {
      const task = tasks[index] as TaskRecord;
      task.worker = undefined;
      this.#deadlines.clearRun(task);
      if (task.argumentMoved) {
        this.#settle(task, new TransferredArgumentLostError(task.name, cause ?? new Error('The worker it was sent to could not start it')));
      } else {
        this.#enqueue(task, true, true);
      }
    }
  }

  #abort(task: TaskRecord): void {
    if (task.settled) return;
    const reason: unknown = task.signal?.reason;
    const error = new TaskAbortedError(reason);
    this.stats.aborted++;
    const worker = task.worker;
    if (worker === undefined) {
      this.queue.remove(task);
      this.#settle(task, error);
      this.#checkDrain();
      return;
    }
    this.#settle(task, error);
    this.#stopRunning(worker, task, reason);
  }

  /** Asks a worker to stop a task; ends the worker if it is still running it after the grace period. */
  #stopRunning(worker: WorkerHandle, task: TaskRecord, reason: unknown): void {
    const seq = task.seq;
    worker.requestAbort(seq);
    worker.runtime.post([MessageKind.Abort, seq, toWireError(reason)], []);
    const endReason = reason instanceof TaskTimeoutError ? 'timeout' : 'abort';
    const timer = setTimeout(() => {
      if (worker.state !== 'exited' && worker.isRunning(seq)) this.workforce.terminate(worker, endReason);
    }, this.options.abortGrace);
    timer.unref();
    worker.graceTimers.add(timer);
  }

  /**
   * A worker ended. Its tasks are settled by what happened to each:
   * finished (its result is in the result log, though no message brought it):
   * settled with that result; started and unfinished: failed with the
   * worker's error, or retried; never started: queued again at the front.
   */
  #recoverTasksOf(worker: WorkerHandle, error: Error): void {
    const logged = readResultLog(worker.memory);
    const claimedSeq = worker.claimedSeq;
    const notStarted: TaskRecord[] = [];
    const now = performance.now();
    for (const { task, seq } of worker.forgetAll()) {
      if (!worker.owns(task, seq)) continue;
      this.#deadlines.clearRun(task);
      const result = logged.get(seq);
      if (result !== undefined) {
        this.#recordRun(worker, task, result.outcome, result.runTimeUs, now);
        this.#settleOutcome(worker, task, result.outcome, result.value);
      } else if (seq <= claimedSeq) {
        task.worker = undefined;
        this.#fail(task, error, true);
      } else {
        notStarted.push(task);
      }
    }
    this.#requeue(notStarted, error);
  }

  /** Retries the attempt if the task has retries left and the error qualifies; settles it otherwise. */
  #fail(task: TaskRecord, error: Error, retryable: boolean): void {
    if (task.retriesLeft > 0 && this.#state !== 'closed' && shouldRetry(error, retryable, this.options.retryOn)) {
      if (task.argumentMoved) {
        // The first attempt took the argument's buffers with it: a retry would run on detached, empty buffers.
        this.#settle(task, new TransferredArgumentLostError(task.name, error));
        return;
      }
      task.retriesLeft--;
      this.stats.retried++;
      this.#deadlines.clearRun(task);
      task.worker = undefined;
      this.#enqueue(task, true);
      this.#deadlines.armQueue(task);
      return;
    }
    this.#settle(task, error);
  }

  #settle(task: TaskRecord, error: Error | undefined, value?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    this.#deadlines.clearAll(task);
    task.argument = undefined;
    if (task.signal !== undefined) this.#abortRegistry.delete(task.signal, task);
    if (error === undefined) {
      this.stats.completed++;
      task.resolve(value);
    } else {
      if (!(error instanceof TaskAbortedError)) this.stats.failed++;
      this.stats.countFailure(error);
      task.reject(error);
    }
    if (--this.#unsettled === 0) this.#notifyIdle();
  }

  /** Rejects every task not yet settled (destroy, or a close that timed out). */
  rejectAll(error: () => Error): void {
    for (const task of this.queue.drain()) this.#settle(task, error());
    for (const worker of this.workforce.workers) {
      for (const { task, seq } of worker.forgetAll()) {
        if (worker.owns(task, seq)) this.#settle(task, error());
      }
    }
    this.#checkDrain();
  }

  beginClosing(): void {
    this.#setState('closing');
  }

  finishClosing(): void {
    this.#watchdog.stop();
    this.#setState('closed');
  }

  onIdle(): Promise<void> {
    return this.#unsettled === 0 ? Promise.resolve() : this.#idleWaiters.wait();
  }

  onDrain(): Promise<void> {
    return this.#queueHasRoom() ? Promise.resolve() : this.#drainWaiters.wait();
  }

  /**
   * Whether one more task may wait. Every worker that can take a task soon
   * stands for one more place: an idle one, one still starting, and one the
   * pool may still start (below `threads.max`). So with `maxQueue: 0` tasks
   * run while workers are (or can become) free, and are rejected, not
   * queued, once all the pool may have are busy.
   */
  #queueHasRoom(): boolean {
    const queued = this.queue.size;
    const maxQueue = this.options.maxQueue;
    if (queued < maxQueue) return true;
    return queued < maxQueue + this.workforce.freeSlots;
  }

  #notifyIdle(): void {
    this.#idleWaiters.releaseAll();
    this.#events.emit('idle');
  }

  #checkDrain(): void {
    if (!this.#queueHasRoom()) return;
    if (this.#backpressure) {
      this.#backpressure = false;
      this.#events.emit('drain');
    }
    this.#drainWaiters.releaseAll();
  }
}
