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
  UnknownTaskError,
} from '../errors.js';
import { chunkedTaskOf, MessageKind, Outcome, RESULT_FIELDS } from '../protocol/messages.js';
import { isTransferred } from '../protocol/transfer.js';
import { fromWireError, toWireError, type WireError } from '../protocol/wire-error.js';
import { StatsCollector } from '../stats/collector.js';
import type { PoolState } from '../stats/snapshot.js';
import { AbortRegistry } from './abort-registry.js';
import { Dispatcher } from './dispatcher.js';
import { shouldRetry } from './retry-policy.js';
import { Waiters } from './waiters.js';
import type { EngineEvents } from './events.js';
import type { ResolvedOptions } from './options.js';
import { defaultRunSettings, resolveRunSettings, validateTaskName, type RunSettings } from './run-settings.js';
import { TaskQueue } from './task-queue.js';
import { TaskRecord, type RunOptions } from './task.js';
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

/** The scheduler: queue, dispatch, results, timeouts, cancellation, retries. */
export class Engine {
  readonly options: ResolvedOptions;
  readonly queue = new TaskQueue<TaskRecord>();
  readonly stats = new StatsCollector();
  readonly workforce: Workforce;
  readonly #dispatcher: Dispatcher;
  readonly #events: EngineEvents;
  #state: PoolState = 'starting';
  #nextTaskId = 1;
  #pumpScheduled = false;
  readonly #abortRegistry = new AbortRegistry<TaskRecord>((task) => {
    this.#abort(task);
  });
  readonly #defaultSettings: RunSettings;
  /** performance.now(), refreshed every CLOCK_REFRESH enqueues within one synchronous burst. */
  #clock = 0;
  #enqueuesSinceClock = 0;
  /** Submitted and not yet settled. */
  #unsettled = 0;
  #backpressure = false;
  readonly #idleWaiters = new Waiters();
  readonly #drainWaiters = new Waiters();

  constructor(moduleUrl: URL, options: ResolvedOptions, events: EngineEvents) {
    this.options = options;
    this.#defaultSettings = defaultRunSettings(options);
    this.#events = events;
    this.workforce = new Workforce(moduleUrl, options, this.stats, events, {
      workerReady: () => {
        if (this.#state === 'starting' || this.#state === 'degraded') this.#setState('running');
        this.#pump();
      },
      message: (worker, message) => {
        this.handleMessage(worker, message);
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
    });
    this.#dispatcher = new Dispatcher(this.queue, this.workforce, options.maxTasksPerWorker, options.busyPollUs, {
      assigned: (task) => {
        if (task.timeout !== undefined) this.#armRunTimer(task, task.timeout);
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
    this.#state = state;
  }

  start(): void {
    this.workforce.start();
    if (this.#state === 'starting' && this.workforce.liveCount === 0) this.#setState('running');
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
        this.#events.emit('backpressure', { queued: this.queue.size, maxQueue: this.options.maxQueue });
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
    const task = new TaskRecord(this.#nextTaskId++, name, argument, transferList, settings, capturedResolve, capturedReject);
    this.stats.submitted++;
    this.#unsettled++;
    if (signal !== undefined) this.#abortRegistry.add(signal, task);
    this.#enqueue(task);
    return promise;
  }

  #enqueue(task: TaskRecord, front = false): void {
    task.removed = false;
    if (!this.#pumpScheduled || ++this.#enqueuesSinceClock >= CLOCK_REFRESH) {
      this.#clock = performance.now();
      this.#enqueuesSinceClock = 0;
    }
    task.enqueuedAt = this.#clock;
    if (front) this.queue.pushFront(task);
    else this.queue.push(task);
    if (task.queueTimeout !== undefined) {
      const queueTimeout = task.queueTimeout;
      task.timer = setTimeout(() => {
        task.timer = undefined;
        if (task.worker !== undefined || task.settled) return;
        this.queue.remove(task);
        this.#settle(task, new QueueTimeoutError(queueTimeout));
        this.#checkDrain();
      }, queueTimeout);
    }
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

  handleMessage(worker: WorkerHandle, message: readonly unknown[]): void {
    switch (message[0]) {
      case MessageKind.Results:
        this.#onResults(worker, message);
        break;
      case MessageKind.Progress:
        this.#onProgress(worker, message[1] as number, message[2], message[3] as string | undefined);
        break;
      default:
        this.workforce.handleMessage(worker, message);
    }
  }

  #onResults(worker: WorkerHandle, message: readonly unknown[]): void {
    const now = performance.now();
    for (let index = 1; index < message.length; index += RESULT_FIELDS) {
      const task = worker.inFlight.shift();
      const seq = worker.headSeq++;
      if (task === undefined) break;
      this.#dispatcher.answered(worker, task);
      const outcome = message[index] as number;
      const value = message[index + 1];
      if (outcome !== Outcome.Skipped && outcome !== Outcome.UnknownTask) {
        const runTimeUs = message[index + 2] as number;
        this.#dispatcher.estimates.record(task.name, runTimeUs);
        worker.runTimeUs += runTimeUs;
        worker.tasksCompleted++;
        this.stats.recordRun(runTimeUs, (now - task.enqueuedAt) * 1000 - runTimeUs);
      }
      if (task.worker !== worker || task.seq !== seq || task.settled) continue;
      task.worker = undefined;
      if (outcome === Outcome.Ok) this.#settle(task, undefined, value);
      else if (outcome === Outcome.Threw) {
        worker.errors++;
        this.#fail(task, fromWireError(value as WireError), false);
      } else if (outcome === Outcome.NotCloneable) {
        this.#settle(task, new ResultNotCloneableError(task.name, fromWireError(value as WireError)));
      } else if (outcome === Outcome.UnknownTask) {
        this.#settle(task, new UnknownTaskError(chunkedTaskOf(task.name) ?? task.name, value as string[]));
      }
    }
    worker.lastActiveAt = Date.now();
    if (worker.inFlight.length === 0) {
      worker.backlogUs = 0;
      this.workforce.markIdle(worker);
    } else this.#dispatcher.expectResults(worker);
    this.#pump();
  }

  #onProgress(worker: WorkerHandle, seq: number, value: unknown, event: string | undefined): void {
    const task = worker.inFlight.peek();
    if (task?.seq !== seq || task.settled) return;
    try {
      if (event === undefined) task.settings.onProgress?.(value);
      else task.settings.onEvent?.(event, value);
    } catch (error) {
      this.#events.emit('callbackError', { error: error instanceof Error ? error : new Error(String(error)) });
    }
  }

  #armRunTimer(task: TaskRecord, delayMs: number): void {
    task.timer = setTimeout(() => {
      task.timer = undefined;
      this.#checkRunTime(task);
    }, delayMs);
  }

  /**
   * The timer fired, but tasks travel in batches: consult the worker's shared
   * state to learn whether this one has started, and since when.
   */
  #checkRunTime(task: TaskRecord): void {
    const worker = task.worker;
    const timeout = task.timeout;
    if (worker === undefined || task.settled || timeout === undefined || worker.headSeq > task.seq) return;
    const currentSeq = worker.currentSeq;
    if (task.seq > currentSeq) {
      this.#armRunTimer(task, timeout);
      return;
    }
    if (task.seq < currentSeq || !worker.busy) {
      this.#armRunTimer(task, 5); // finished; its result is on the way
      return;
    }
    const elapsedMs = Date.now() - worker.currentStartedAt;
    if (elapsedMs < timeout - 1) {
      this.#armRunTimer(task, timeout - elapsedMs);
      return;
    }
    this.stats.timedOut++;
    const error = new TaskTimeoutError(timeout);
    this.#stopRunning(worker, task, error);
    this.#fail(task, error, true);
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

  /** A worker ended: fail or retry what it started, requeue what it never began. */
  #recoverTasksOf(worker: WorkerHandle, error: Error): void {
    const startedUpTo = worker.currentSeq;
    const notStarted: TaskRecord[] = [];
    for (let task = worker.inFlight.shift(); task !== undefined; task = worker.inFlight.shift()) {
      const seq = worker.headSeq++;
      if (task.worker !== worker || task.seq !== seq || task.settled) continue;
      task.worker = undefined;
      task.clearTimer();
      if (seq <= startedUpTo) this.#fail(task, error, true);
      else {
        notStarted.push(task);
      }
    }
    for (let index = notStarted.length - 1; index >= 0; index--) {
      const task = notStarted[index];
      if (task !== undefined) this.#enqueue(task, true);
    }
  }

  /** Retries the attempt if the task has retries left and the error qualifies; settles it otherwise. */
  #fail(task: TaskRecord, error: Error, retryable: boolean): void {
    if (task.retriesLeft > 0 && this.#state !== 'closed' && shouldRetry(error, retryable, this.options.retryOn)) {
      task.retriesLeft--;
      this.stats.retried++;
      task.clearTimer();
      task.worker = undefined;
      this.#enqueue(task, true);
      return;
    }
    this.#settle(task, error);
  }

  #settle(task: TaskRecord, error: Error | undefined, value?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    task.clearTimer();
    task.argument = undefined;
    if (task.signal !== undefined) this.#abortRegistry.delete(task.signal, task);
    if (error === undefined) {
      this.stats.completed++;
      task.resolve(value);
    } else {
      this.stats.failed++;
      task.reject(error);
    }
    if (--this.#unsettled === 0) this.#notifyIdle();
  }

  /** Rejects every task not yet settled (destroy, or a close that timed out). */
  rejectAll(error: () => Error): void {
    for (const task of this.queue.drain()) this.#settle(task, error());
    for (const worker of this.workforce.workers) {
      for (let task = worker.inFlight.shift(); task !== undefined; task = worker.inFlight.shift()) {
        worker.headSeq++;
        this.#settle(task, error());
      }
    }
    this.#checkDrain();
  }

  beginClosing(): void {
    this.#setState('closing');
  }

  finishClosing(): void {
    this.#setState('closed');
  }

  onIdle(): Promise<void> {
    return this.#unsettled === 0 ? Promise.resolve() : this.#idleWaiters.wait();
  }

  onDrain(): Promise<void> {
    return this.#queueHasRoom() ? Promise.resolve() : this.#drainWaiters.wait();
  }

  /**
   * Whether one more task may wait. Tasks submitted in one synchronous burst
   * sit in the queue until the end of it, so each idle worker stands for one
   * more place: with `maxQueue: 0`, tasks run while workers are free and
   * are rejected, not queued, once they are all busy.
   */
  #queueHasRoom(): boolean {
    const queued = this.queue.size;
    const maxQueue = this.options.maxQueue;
    if (queued < maxQueue) return true;
    return queued < maxQueue + this.workforce.idleCount;
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
