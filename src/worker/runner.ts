import type { Transferable } from 'node:worker_threads';
import { chunkedTaskOf, MessageKind, Outcome, RUN_FIELDS, TAKE_BACK_AFTER_MS, type OutcomeCode } from '../protocol/messages.js';
import { BUSY, CLAIMED_SEQ, CURRENT_SEQ, START_TABLE_OFFSET, STARTED_AT_FLOAT_INDEX, startTableLength } from '../protocol/shared-slots.js';
import { isTransferred } from '../protocol/transfer.js';
import { fromWireError, toWireError, type WireError } from '../protocol/wire-error.js';
import { chunkRunner } from './chunk.js';
import { TaskContextImpl } from './context.js';
import { monotonicMs } from './clock.js';
import { PollBackoff } from './poll-backoff.js';
import type { PoolChannel } from './channel.js';
import { ResultBatch } from './result-batch.js';
import type { TaskFunction } from './load-module.js';
import type { WorkerTeardown } from '../protocol/task-context.js';

/** Results are held back and sent together, but never longer than this while tasks keep running. */
const FLUSH_INTERVAL_MS = 2;

/**
 * Runs the tasks the pool sends, in arrival order, and sends results back in
 * batches. One at a time by default; with asyncTasksPerWorker above 1, an
 * asynchronous task no longer holds the worker: the next one starts while
 * it awaits, up to that many at once, and each is answered when it finishes.
 * Each task is claimed in shared memory before it starts (the pool may have
 * taken it back, see shared-slots.ts), and each result is recorded in the
 * result log as it finishes, so that it survives this worker (see
 * result-log.ts).
 */
export class TaskRunner {
  readonly #channel: PoolChannel;
  readonly #tasks: ReadonlyMap<string, TaskFunction>;
  /** The tasks in READY-list order: RUN records name them by index. */
  readonly #taskList: readonly TaskFunction[];
  readonly #sharedState: Int32Array;
  readonly #sharedTimes: Float64Array;
  readonly #threadId: number;
  /** Pending work as flat RUN records: seq, id, name, argument. */
  #pending: unknown[] = [];
  #pendingHead = 0;
  #draining = false;
  /** The task started last, while it runs. */
  #current: TaskContextImpl | undefined;
  #currentSeq = -1;
  /** How many asynchronous tasks may run at once (asyncTasksPerWorker). */
  readonly #asyncTasks: number;
  /** With asyncTasks > 1: the asynchronous tasks running, by sequence number. */
  readonly #running = new Map<number, TaskContextImpl>();
  /** With asyncTasks > 1: when each running task started, by `seq % length` (see shared-slots.ts). */
  readonly #startTable: Float64Array | undefined;
  /** Tasks aborted before they started: skipped when their turn comes. */
  readonly #aborted = new Set<number>();
  /** Set while takeOver() hands over what came before the runner listened. */
  #handingOver = false;
  /** Every task up to this sequence number was taken back by the pool. */
  #takenBackUpTo = 0;
  readonly #batch: ResultBatch;
  readonly #chunkRunners = new Map<string, TaskFunction>();
  readonly #maxHeapUsedBytes: number | undefined;
  #heapReported = false;
  readonly #busyPollMs: number;
  readonly #pollBackoff = new PollBackoff();
  #closed = false;
  /** How long the task that finished last ran (see #runPending). */
  #lastRunMs = 0;
  /** Whether #drain runs from an immediate (see #runPending). */
  #resuming = false;
  readonly #teardown: WorkerTeardown | undefined;

  constructor(
    channel: PoolChannel,
    tasks: ReadonlyMap<string, TaskFunction>,
    sharedState: SharedArrayBuffer,
    threadId: number,
    maxHeapUsedBytes: number | undefined,
    busyPollUs: number,
    teardown: WorkerTeardown | undefined,
    asyncTasks = 1,
  ) {
    this.#asyncTasks = asyncTasks;
    this.#startTable = asyncTasks > 1 ? new Float64Array(sharedState, START_TABLE_OFFSET, startTableLength(asyncTasks)) : undefined;
    this.#teardown = teardown;
    this.#busyPollMs = busyPollUs / 1000;
    this.#maxHeapUsedBytes = maxHeapUsedBytes;
    this.#channel = channel;
    this.#tasks = tasks;
    this.#taskList = [...tasks.values()];
    this.#sharedState = new Int32Array(sharedState);
    this.#sharedTimes = new Float64Array(sharedState);
    this.#batch = new ResultBatch(channel, sharedState);
    this.#threadId = threadId;
  }

  /** The task running now, 0 if none. */
  get runningSeq(): number {
    return this.#current === undefined ? 0 : this.#currentSeq;
  }

  /** On process.exit(), an uncaught exception or an unhandled rejection, results held back still go out. */
  flushBeforeExit(): void {
    this.#batch.send();
  }

  /**
   * Runs `deliver`, which hands over what came while the module loaded (a
   * process's channel holds it until then, see serve.ts), and only then
   * starts the tasks among it: an ABORT or a REVOKE that came after a task
   * is seen before that task starts, as it would be once the worker runs.
   */
  takeOver(deliver: () => void): void {
    this.#handingOver = true;
    try {
      deliver();
    } finally {
      this.#handingOver = false;
    }
    if (!this.#draining && this.#pendingHead < this.#pending.length) this.#drain();
  }

  handle(message: readonly unknown[]): void {
    switch (message[0]) {
      case MessageKind.Run:
        if (this.#spinUntil !== 0) {
          this.#spinUntil = 0;
          this.#pollBackoff.hit();
        }
        this.#enqueue(message);
        if (!this.#draining && !this.#handingOver) this.#drain();
        break;
      case MessageKind.Abort:
        this.#abort(message[1] as number, fromWireError(message[2] as WireError));
        break;
      case MessageKind.Revoke:
        // A pool without shared memory takes tasks back by message (see channel.ts): they are skipped when their turn comes.
        this.#takenBackUpTo = Math.max(this.#takenBackUpTo, message[1] as number);
        // As the pool's compare-and-swap does for a thread: the claim moves past them, or the next task sent could never be claimed.
        if (Atomics.load(this.#sharedState, CLAIMED_SEQ) < this.#takenBackUpTo) Atomics.store(this.#sharedState, CLAIMED_SEQ, this.#takenBackUpTo);
        break;
      case MessageKind.Close:
        this.#closed = true;
        void this.#tearDown();
        break;
    }
  }

  /** Runs the module's `teardown` export, if any, then lets go of the port, so the worker can exit. */
  async #tearDown(): Promise<void> {
    if (this.#teardown !== undefined) {
      try {
        await this.#teardown();
      } catch (error) {
        this.#channel.send([MessageKind.TeardownFailed, toWireError(error)]);
      }
    }
    this.#channel.close();
  }

  #enqueue(message: readonly unknown[]): void {
    if (this.#pendingHead === this.#pending.length) {
      // Nothing pending: read the message in place rather than copying it.
      this.#pending = message as unknown[];
      this.#pendingHead = 1;
      return;
    }
    for (let index = 1; index < message.length; index++) this.#pending.push(message[index]);
  }

  #abort(seq: number, reason: unknown): void {
    if (seq > this.#currentSeq) this.#aborted.add(seq);
    else (this.#running.get(seq) ?? (seq === this.#currentSeq ? this.#current : undefined))?.abort(reason);
  }

  /**
   * Runs pending tasks synchronously until one returns a promise; that one
   * is awaited in #finishAsync, which resumes draining afterwards.
   */
  #drain(): void {
    this.#draining = true;
    this.#batch.lastSentAt = monotonicMs();
    do {
      // An asynchronous task holds the thread: #finishAsync resumes draining when it settles.
      if (!this.#runPending()) return;
    } while (this.#pollForWork());
    this.#draining = false;
  }

  /**
   * Out of tasks: polls the port for a while before going back to the event
   * loop, so that a task sent right after the last result finds this thread
   * awake (unless PollBackoff says recent polls did not pay). Returns true
   * when new tasks arrived.
   */
  #pollForWork(): boolean {
    // Tasks still awaiting need the event loop more than a new task needs a quick start.
    if (this.#busyPollMs === 0 || this.#running.size > 0 || !this.#pollBackoff.shouldPoll()) return false;
    if (!this.#channel.sharesMemory) {
      this.#spinUntil = monotonicMs() + this.#busyPollMs;
      setImmediate(this.#spin);
      return false;
    }
    const deadline = monotonicMs() + this.#busyPollMs;
    do {
      const message = this.#channel.poll();
      if (message !== undefined) {
        if (message[0] === MessageKind.Run) {
          this.#pollBackoff.hit();
          this.#enqueue(message);
          return true;
        }
        this.handle(message);
        if (this.#closed) return false;
      }
    } while (monotonicMs() < deadline);
    this.#pollBackoff.miss();
    return false;
  }

  /**
   * Runs pending tasks in order; returns false when one turned out
   * asynchronous and is still running, or when this worker shares no memory
   * with its pool and yields to its event loop before the next task (around
   * a flagged one, see channel.ts), to resume on the next turn.
   */
  #runPending(): boolean {
    let ran = false;
    /** Whether the task run last was flagged (a negative seq, see below). */
    let ranFlagged = false;
    while (this.#pendingHead < this.#pending.length) {
      // A process reads its messages only from its event loop. It returns there before a task the pool may
      // have to reach it about (an abort, a timeout, a queueTimeout), flagged by a negative seq; after one; and
      // after a task that ran long enough for the pool to take back the tasks behind it (TAKE_BACK_AFTER_MS).
      // Tasks in hand otherwise run back to back.
      if (ran && !this.#channel.sharesMemory && (ranFlagged || this.#lastRunMs >= TAKE_BACK_AFTER_MS || (this.#pending[this.#pendingHead] as number) < 0)) {
        // The event loop must read the channel before the next task. Called from an immediate (#resume), the next
        // immediate runs after it has; called from a message, the first immediate would run before it does: two.
        setImmediate(this.#resuming ? this.#resume : this.#yieldAgain);
        return false;
      }
      const head = this.#pendingHead;
      let seq = this.#pending[head] as number;
      const name = this.#pending[head + 1] as number | string;
      const argument = this.#pending[head + 2];
      this.#pending[head + 2] = undefined;
      this.#pendingHead = head + RUN_FIELDS;
      let flushFirst = false;
      if (seq < 0) {
        seq = -seq;
        flushFirst = true;
      }
      ranFlagged = flushFirst;
      if (!this.#claim(seq) || this.#aborted.delete(seq)) {
        this.#batch.addSkipped(seq);
        continue;
      }
      const task = typeof name === 'number' ? this.#taskList[name] : this.#findTask(name);
      if (task === undefined) {
        if (this.#batch.add(seq, Outcome.UnknownTask, [...this.#tasks.keys()], 0)) this.#batch.send();
        continue;
      }
      if (flushFirst && this.#batch.holding) this.#batch.send();
      const startedAt = monotonicMs();
      // Date.now(): the clock the pool compares it with (deadlines.ts, watchdog.ts).
      const startedAtMs = Date.now();
      this.#sharedTimes[STARTED_AT_FLOAT_INDEX] = startedAtMs;
      if (this.#startTable !== undefined) this.#startTable[seq % this.#startTable.length] = startedAtMs;
      Atomics.store(this.#sharedState, CURRENT_SEQ, seq);
      Atomics.add(this.#sharedState, BUSY, 1);
      this.#currentSeq = seq;
      const context = new TaskContextImpl(seq, this.#threadId, this.#sharedState, this.#sendProgress);
      this.#current = context;
      let value: unknown;
      let pending: PromiseLike<unknown> | undefined;
      try {
        value = task(argument, context);
        pending = thenableOrUndefined(value);
      } catch (error) {
        this.#finish(seq, startedAt, Outcome.Threw, toWireError(error));
        ran = true;
        continue;
      }
      if (pending !== undefined) {
        if (this.#asyncTasks > 1) this.#running.set(seq, context);
        void this.#finishAsync(seq, pending, startedAt);
        // Several at once: the next task starts while this one awaits.
        if (this.#running.size > 0 && this.#running.size < this.#asyncTasks) continue;
        this.#batch.send();
        return false;
      }
      this.#finish(seq, startedAt, Outcome.Ok, value);
      ran = true;
    }
    this.#batch.send();
    return true;
  }

  /**
   * Claims task `seq` before it starts; false when the pool took it back
   * (see "Claims" in shared-slots.ts). Tasks arrive in sequence order, so
   * every earlier one is already claimed or taken back.
   */
  #claim(seq: number): boolean {
    if (seq <= this.#takenBackUpTo) return false;
    const previous = Atomics.compareExchange(this.#sharedState, CLAIMED_SEQ, seq - 1, seq);
    if (previous === seq - 1) return true;
    this.#takenBackUpTo = previous;
    return false;
  }

  /**
   * A process worker's poll: its channel has no port to read in a loop, so it
   * keeps its event loop turning (one immediate after another, each turn
   * reading the IPC pipe without waiting) until a task comes or the poll
   * times out, instead of sleeping in the kernel: a message then finds the
   * process running, not a CPU to wake. 0: not polling.
   */
  #spinUntil = 0;

  readonly #spin = (): void => {
    if (this.#spinUntil === 0) return;
    if (monotonicMs() < this.#spinUntil) {
      setImmediate(this.#spin);
      return;
    }
    this.#spinUntil = 0;
    this.#pollBackoff.miss();
  };

  readonly #resume = (): void => {
    this.#resuming = true;
    try {
      this.#drain();
    } finally {
      this.#resuming = false;
    }
  };

  readonly #yieldAgain = (): void => {
    setImmediate(this.#resume);
  };

  async #finishAsync(seq: number, promise: PromiseLike<unknown>, startedAt: number): Promise<void> {
    let outcome: OutcomeCode = Outcome.Ok;
    let value: unknown;
    try {
      value = await promise;
    } catch (error) {
      outcome = Outcome.Threw;
      value = toWireError(error);
    }
    this.#running.delete(seq);
    this.#finish(seq, startedAt, outcome, value);
    this.#drain();
  }

  /** Records the result (in the log first: from then on it survives this worker), marks the worker free, then sends what is due. */
  #finish(seq: number, startedAt: number, outcome: OutcomeCode, value: unknown): void {
    this.#current = undefined;
    const finishedAt = monotonicMs();
    const runTimeMs = finishedAt - startedAt;
    this.#lastRunMs = runTimeMs;
    const sendNow = this.#batch.add(seq, outcome, value, Math.round(runTimeMs * 1000));
    // Free before the result can reach the pool, so that the pool never sees this task answered while the slots still say it runs.
    if (this.#startTable !== undefined) this.#startTable[seq % this.#startTable.length] = 0;
    Atomics.sub(this.#sharedState, BUSY, 1);
    if (sendNow || finishedAt - this.#batch.lastSentAt >= FLUSH_INTERVAL_MS) this.#batch.send();
    if (this.#maxHeapUsedBytes !== undefined) this.#checkHeap(this.#maxHeapUsedBytes);
  }

  /** A task of the module, or the runner of a chunk of one (see `chunkTaskName`). */
  #findTask(name: string): TaskFunction | undefined {
    const task = this.#tasks.get(name);
    if (task !== undefined) return task;
    const chunkedTask = chunkedTaskOf(name);
    if (chunkedTask === undefined) return undefined;
    const inner = this.#tasks.get(chunkedTask);
    if (inner === undefined) return undefined;
    let runner = this.#chunkRunners.get(chunkedTask);
    if (runner === undefined) {
      runner = chunkRunner(inner);
      this.#chunkRunners.set(chunkedTask, runner);
    }
    return runner;
  }

  #checkHeap(limit: number): void {
    if (this.#heapReported) return;
    const used = process.getBuiltinModule('node:v8').getHeapStatistics().used_heap_size;
    if (used <= limit) return;
    this.#heapReported = true;
    this.#batch.send();
    this.#channel.send([MessageKind.HeapOverLimit, used]);
  }

  readonly #sendProgress = (seq: number, value: unknown, event?: string): void => {
    // Results ahead of this task go first, so the caller sees everything in order.
    this.#batch.send();
    let transferList: readonly Transferable[] = [];
    if (isTransferred(value)) {
      transferList = value.transferList;
      value = value.value;
    }
    try {
      this.#channel.send(event === undefined ? [MessageKind.Progress, seq, value] : [MessageKind.Progress, seq, value, event], transferList);
    } catch {
      // A progress value that cannot be cloned is dropped; the task goes on.
    }
  };
}

/** `value` if it is a thenable. Reading `then` may throw (a getter, a Proxy): the task's own failure. */
function thenableOrUndefined(value: unknown): PromiseLike<unknown> | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  return typeof (value as { then?: unknown }).then === 'function' ? (value as PromiseLike<unknown>) : undefined;
}
