import { TaskAbortedError, TransferredArgumentLostError } from '../errors.js';
import type { EngineEvents } from '../events.js';
import type { StatsCollector } from '../stats/collector.js';
import type { AbortRegistry } from './abort-registry.js';
import type { Deadlines } from './deadlines.js';
import { shouldRetry } from './retry-policy.js';
import type { TaskRecord } from './task.js';
import { Waiters } from './waiters.js';

export interface SettlementHooks {
  /** Puts a task back in the queue, at the front; `keepTime` for one that never started (it keeps waiting). */
  readonly requeue: (task: TaskRecord, keepTime: boolean) => void;
  /** Whether retries may still happen (not once the pool is closed). */
  readonly mayRetry: () => boolean;
}

/**
 * The rule that every task settles exactly once: the one place that resolves
 * or rejects a task's promise, decides whether a failed attempt is retried,
 * puts back the tasks that did not start, and tells `onIdle()` callers when
 * nothing is left.
 */
export class Settlement {
  readonly #stats: StatsCollector;
  readonly #deadlines: Deadlines;
  readonly #abortRegistry: AbortRegistry<TaskRecord>;
  readonly #events: EngineEvents;
  readonly #retryOn: ((error: Error) => boolean) | undefined;
  readonly #hooks: SettlementHooks;
  readonly #idleWaiters = new Waiters();
  /** Submitted and not yet settled. */
  #unsettled = 0;

  constructor(
    stats: StatsCollector,
    deadlines: Deadlines,
    abortRegistry: AbortRegistry<TaskRecord>,
    retryOn: ((error: Error) => boolean) | undefined,
    events: EngineEvents,
    hooks: SettlementHooks,
  ) {
    this.#stats = stats;
    this.#deadlines = deadlines;
    this.#abortRegistry = abortRegistry;
    this.#retryOn = retryOn;
    this.#events = events;
    this.#hooks = hooks;
  }

  /** A task was accepted: it will settle exactly once. */
  accepted(task: TaskRecord): void {
    this.#stats.submitted++;
    this.#unsettled++;
    if (task.signal !== undefined) this.#abortRegistry.add(task.signal, task);
  }

  settle(task: TaskRecord, error: Error | undefined, value?: unknown): void {
    if (task.settled) return;
    task.settled = true;
    this.#deadlines.clearAll(task);
    task.argument = undefined;
    if (task.signal !== undefined) this.#abortRegistry.delete(task.signal, task);
    if (error === undefined) {
      this.#stats.completed++;
      task.resolve(value);
    } else {
      if (!(error instanceof TaskAbortedError)) this.#stats.failed++;
      this.#stats.countFailure(error);
      task.reject(error);
    }
    if (--this.#unsettled === 0) {
      this.#idleWaiters.releaseAll();
      this.#events.emit('idle');
    }
  }

  /** Retries the attempt if the task has retries left and the error qualifies; settles it otherwise. */
  fail(task: TaskRecord, error: Error, retryable: boolean): void {
    task.worker = undefined;
    this.#deadlines.clearRun(task);
    if (task.retriesLeft > 0 && this.#hooks.mayRetry() && shouldRetry(error, retryable, this.#retryOn)) {
      if (task.argumentMoved) {
        // The first attempt took the argument's buffers with it: a retry would run on detached, empty buffers.
        this.settle(task, new TransferredArgumentLostError(task.name, error));
        return;
      }
      task.retriesLeft--;
      this.#stats.retried++;
      this.#hooks.requeue(task, false);
      this.#deadlines.armQueue(task);
      return;
    }
    this.settle(task, error);
  }

  /**
   * Puts back at the front of the queue, in their order, tasks that were sent
   * but did not start. A task whose argument was moved to that worker cannot
   * be sent again: it fails with ERR_TRANSFERRED_ARGUMENT_LOST.
   */
  requeue(tasks: readonly TaskRecord[], cause: Error | undefined): void {
    for (let index = tasks.length - 1; index >= 0; index--) {
      const task = tasks[index] as TaskRecord;
      task.worker = undefined;
      this.#deadlines.clearRun(task);
      if (task.argumentMoved) {
        this.settle(task, new TransferredArgumentLostError(task.name, cause ?? new Error('The worker it was sent to could not start it')));
      } else {
        this.#hooks.requeue(task, true);
      }
    }
  }

  onIdle(): Promise<void> {
    return this.#unsettled === 0 ? Promise.resolve() : this.#idleWaiters.wait();
  }
}
