import type { Transferable } from 'node:worker_threads';
import { ArgumentNotCloneableError, PoolClosedError, PoolDegradedError, QueueTimeoutError, TaskAbortedError, TaskTimeoutError, UnknownTaskError } from '../errors.js';
import type { EngineEvents } from '../events.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { chunkedTaskOf, MessageKind } from '../protocol/messages.js';
import { readResultLog } from '../protocol/result-log.js';
import { isTransferred } from '../protocol/transfer.js';
import { toWireError } from '../protocol/wire-error.js';
import { StatsCollector } from '../stats/collector.js';
import type { PoolState } from '../stats/snapshot.js';
import { Workforce } from '../workforce/workforce.js';
import { AbortRegistry } from './abort-registry.js';
import { Admission } from './admission.js';
import { Answers } from './answers.js';
import { Deadlines } from './deadlines.js';
import { Dispatcher } from './dispatcher.js';
import { defaultRunSettings, resolveRunSettings, validateTaskName, type RunOptions, type RunSettings } from './run-settings.js';
import { Settlement } from './settlement.js';
import { TaskQueue } from './task-queue.js';
import { TaskRecord, type TaskWorker } from './task.js';
import { Watchdog } from './watchdog.js';

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
  readonly workforce: Workforce<TaskRecord>;
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
  readonly #settlement: Settlement;
  readonly #answers: Answers;
  readonly #admission: Admission;
  /** The task #submit accepted for submitTo, until submitTo reads it (never kept: it would hold the argument). */
  #accepted: TaskRecord | undefined;

  /**
   * Builds the pool's engine and starts its first workers (see start()).
   * The workforce comes first and starts at once: a process worker's fork
   * and Node's boot (40 ms or more) then overlap building the rest, which
   * takes 1–3 ms of a process's first pool, while the code is still cold.
   */
  constructor(moduleUrl: URL, options: ResolvedOptions, events: EngineEvents) {
    this.options = options;
    this.#events = events;
    this.workforce = new Workforce<TaskRecord>(moduleUrl, options, this.stats, events, {
      workerReady: () => {
        if (this.#state === 'starting' || this.#state === 'degraded') this.#setState('running');
        this.#pump();
      },
      degraded: (error) => {
        if (this.#state === 'closed') return;
        // While closing, the state stays 'closing', but queued tasks still fail fast: left queued, close() would wait forever.
        if (this.#state !== 'closing') this.#setState('degraded');
        for (const task of this.queue.drain()) this.#settlement.settle(task, new PoolDegradedError(error));
        this.#admission.checkDrain();
      },
      workerGone: (worker, error) => {
        this.#recoverTasksOf(worker, error);
      },
      result: (worker, seq, outcome, value, runTimeUs) => {
        this.#answers.result(worker, seq, outcome, value, runTimeUs);
      },
      resultsRead: (worker) => {
        this.#afterResults(worker);
      },
      progress: (worker, seq, value, event) => {
        this.#answers.progress(worker, seq, value, event);
      },
    });
    // An eager workforce (spindle/piscina's) reports a worker that cannot start at once: only once all is built (start()).
    if (!options.startEagerly) this.workforce.start();
    this.#defaultSettings = defaultRunSettings(options);
    this.#deadlines = new Deadlines({
      queueExpired: (task) => {
        this.#queueExpired(task);
      },
      runExpired: (task) => {
        this.#runExpired(task);
      },
    });
    this.#settlement = new Settlement(this.stats, this.#deadlines, this.#abortRegistry, options.retryOn, events, {
      requeue: (task, keepTime) => {
        this.#enqueue(task, true, keepTime);
      },
      mayRetry: () => this.#state !== 'closed',
    });
    this.#admission = new Admission(this.queue, this.workforce, options.maxQueue, this.stats, events);
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
        if (task.worker !== undefined) this.#watchdog.wake(task.worker);
      },
      notCloneable: (task, error) => {
        this.#settlement.settle(task, new ArgumentNotCloneableError(task.name, error));
      },
    }, options);
    this.#answers = new Answers(this.stats, this.#dispatcher.estimates, this.#settlement, (error) => {
      this.reportCallbackError(error);
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

  /**
   * Starts the workers of an eager workforce (spindle/piscina's, which reports
   * a worker that cannot start at once; the constructor started the others),
   * and sets a pool of no minimum running.
   */
  start(): void {
    if (this.options.startEagerly) this.workforce.start();
    if (this.#state === 'starting' && this.options.minThreads === 0) this.#setState('running');
  }

  submit(name: string, argument: unknown, options: RunOptions | undefined): Promise<unknown> {
    return this.#submit(undefined, false, name, argument, options);
  }

  /**
   * As submit(), and sent at once to `worker` when it can take the task now
   * (spindle/piscina's `loadBalancer` chose it); otherwise queued as any
   * task. Returns the task's record too (undefined when the call was
   * refused), so that the caller can see where it went.
   */
  submitTo(worker: TaskWorker | undefined, name: string, argument: unknown, options: RunOptions | undefined): { readonly promise: Promise<unknown>; readonly task: TaskRecord | undefined } {
    const promise = this.#submit(worker, true, name, argument, options);
    const task = this.#accepted;
    this.#accepted = undefined;
    return { promise, task };
  }

  #submit(worker: TaskWorker | undefined, record: boolean, name: string, argument: unknown, options: RunOptions | undefined): Promise<unknown> {
    if (this.#state === 'closing' || this.#state === 'closed') return Promise.reject(new PoolClosedError());
    if (this.#state === 'degraded') return Promise.reject(new PoolDegradedError(this.workforce.lastStartError));
    validateTaskName(name);
    const settings = resolveRunSettings(options, this.options, this.#defaultSettings);
    const knownTasks = this.workforce.taskNames;
    const taskName = chunkedTaskOf(name) ?? name;
    if (knownTasks !== undefined && !knownTasks.has(taskName)) return Promise.reject(new UnknownTaskError(taskName, [...knownTasks]));
    if (!this.#admission.hasRoom()) return Promise.reject(this.#admission.refuse());
    const signal = settings.signal;
    if (signal?.aborted === true) return Promise.reject(new TaskAbortedError(signal.reason));
    let transferList: readonly Transferable[] = [];
    if (isTransferred(argument)) {
      transferList = argument.transferList;
      argument = argument.value;
    }
    const promise = new Promise<unknown>(captureResolvers);
    const task = new TaskRecord(name, argument, transferList, settings, capturedResolve, capturedReject);
    this.#settlement.accepted(task);
    if (record) this.#accepted = task;
    if (worker !== undefined && this.#dispatcher.sendTo(worker, task)) return promise;
    this.#enqueue(task, false);
    this.#dispatcher.queued(task);
    this.#deadlines.armQueue(task);
    // spindle/piscina's model: the task is on its way to a worker when run() returns (a caller may block on Atomics next).
    if (this.options.startEagerly) this.#pump();
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
    this.#admission.checkDrain();
  };

  #afterResults(worker: TaskWorker): void {
    this.#answers.messageRead();
    worker.lastActiveAt = Date.now();
    if (worker.unanswered === 0) this.workforce.markIdle(worker);
    else this.#dispatcher.expectResults(worker);
    this.#pump();
    this.#events.resultsRead?.();
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
    this.#settlement.fail(task, error, true);
  }

  /** The task waited `queueTimeout` without starting: wherever it waits, it is taken out and rejected. */
  #queueExpired(task: TaskRecord): void {
    const queueTimeout = task.queueTimeout ?? 0;
    const worker = task.worker;
    if (worker === undefined) {
      this.queue.remove(task);
      this.#settlement.settle(task, new QueueTimeoutError(queueTimeout));
      this.#admission.checkDrain();
      return;
    }
    // It started in time (for a worker without shared memory: it is the one the worker runs).
    if (worker.sharesMemory ? task.seq <= worker.claimedSeq : task.seq === worker.currentSeq) return;
    // It waits in the worker behind others: take back everything there that has not started.
    const taken = worker.takeBack(worker.busy);
    const index = taken.indexOf(task);
    if (index >= 0) {
      taken.splice(index, 1);
      this.#settlement.settle(task, new QueueTimeoutError(queueTimeout));
    } else {
      // Started, or (a worker without shared memory) asked to come back: then it fails when it does.
      task.queueExpired = true;
    }
    this.#settlement.requeue(taken, undefined);
    this.#admission.checkDrain();
  }

  /** The watchdog took these tasks back from behind a call that overran: they run elsewhere. */
  #overran(tasks: TaskRecord[]): void {
    this.stats.takenBack += tasks.length;
    this.#settlement.requeue(tasks, undefined);
  }

  /** The watchdog found a worker that runs nothing and takes nothing: its tasks run elsewhere, and it is replaced. */
  #unresponsive(worker: TaskWorker): void {
    const reason = new Error(
      `Worker ${String(worker.threadId)} stopped taking the tasks it was sent for ${String(this.options.unresponsiveTimeout)} ms (unresponsiveTimeout) while running none: its event loop is blocked outside any task, or it no longer reads its messages. It was replaced.`,
    );
    worker.lastError = reason;
    const tasks = worker.takeBack(true);
    this.stats.takenBack += tasks.length;
    this.#settlement.requeue(tasks, reason);
    // A worker that started a task meanwhile is alive after all.
    if (!worker.busy) this.workforce.terminate(worker, 'unresponsive');
  }

  #abort(task: TaskRecord): void {
    if (task.settled) return;
    const reason: unknown = task.signal?.reason;
    const error = new TaskAbortedError(reason);
    this.stats.aborted++;
    const worker = task.worker;
    if (worker === undefined) {
      this.queue.remove(task);
      this.#settlement.settle(task, error);
      this.#admission.checkDrain();
      return;
    }
    // Sent to a worker still loading its module (startEagerly, spindle/piscina's model): claimed back, so that it
    // can never start there (a synchronous task would run forever: the abort grace finds it not running, and the
    // worker reads the ABORT only once the task ends); the tasks behind it run elsewhere.
    if (worker.state === 'starting' && worker.sharesMemory && task.seq > worker.claimedSeq) {
      const taken = worker.takeBack(worker.busy);
      const index = taken.indexOf(task);
      if (index >= 0) taken.splice(index, 1);
      this.#settlement.requeue(taken, undefined);
      if (index >= 0) {
        this.#settlement.settle(task, error);
        this.#admission.checkDrain();
        return;
      }
    }
    this.#settlement.settle(task, error);
    this.#stopRunning(worker, task, reason);
  }

  /** Asks a worker to stop a task; ends the worker if it is still running it after the grace period. */
  #stopRunning(worker: TaskWorker, task: TaskRecord, reason: unknown): void {
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
   * worker's error, or retried; never started: queued again at the front
   * (failed as the started ones with `failUnstartedOnExit`).
   */
  #recoverTasksOf(worker: TaskWorker, error: Error): void {
    const logged = readResultLog(worker.memory);
    const startedUpTo = worker.mayHaveStartedUpTo;
    const notStarted: TaskRecord[] = [];
    for (const { task, seq } of worker.forgetAll()) {
      if (!worker.owns(task, seq)) continue;
      this.#deadlines.clearRun(task);
      const result = logged.get(seq);
      if (result !== undefined) {
        this.#answers.logged(worker, task, result.outcome, result.value, result.runTimeUs);
      } else if (seq <= startedUpTo || this.options.failUnstartedOnExit) {
        task.worker = undefined;
        this.#settlement.fail(task, error, true);
      } else {
        notStarted.push(task);
      }
    }
    this.#settlement.requeue(notStarted, error);
  }

  /** Rejects every task not yet settled (destroy, or a close that timed out). */
  rejectAll(error: () => Error): void {
    for (const task of this.queue.drain()) this.#settlement.settle(task, error());
    for (const worker of this.workforce.workers) {
      for (const { task, seq } of worker.forgetAll()) {
        if (worker.owns(task, seq)) this.#settlement.settle(task, error());
      }
    }
    this.#admission.checkDrain();
  }

  beginClosing(): void {
    this.#setState('closing');
  }

  finishClosing(): void {
    this.#watchdog.stop();
    this.#setState('closed');
  }

  onIdle(): Promise<void> {
    return this.#settlement.onIdle();
  }

  onDrain(): Promise<void> {
    return this.#admission.onDrain();
  }
}
