import { QueueTimeoutError, ResultNotCloneableError, UnknownTaskError } from '../errors.js';
import { chunkedTaskOf, Outcome, type OutcomeCode } from '../protocol/messages.js';
import { fromWireError, type WireError } from '../protocol/wire-error.js';
import type { StatsCollector } from '../stats/collector.js';
import type { RunTimeEstimates } from './run-time-estimates.js';
import type { Settlement } from './settlement.js';
import type { TaskRecord, TaskWorker } from './task.js';

/**
 * What workers answer: each RESULTS record settles (or retries) the task it
 * answers and feeds the run-time estimates and statistics; the same applies
 * to results read from a dead worker's result log. Progress and events go to
 * the caller's callbacks, and a callback that throws is reported, not thrown.
 */
export class Answers {
  readonly #stats: StatsCollector;
  readonly #estimates: RunTimeEstimates;
  readonly #settlement: Settlement;
  readonly #callbackError: (error: Error) => void;
  /** performance.now() for the results of one message, taken at its first result. */
  #clock = -1;

  constructor(stats: StatsCollector, estimates: RunTimeEstimates, settlement: Settlement, callbackError: (error: Error) => void) {
    this.#stats = stats;
    this.#estimates = estimates;
    this.#settlement = settlement;
    this.#callbackError = callbackError;
  }

  /** One RESULTS record: the answer to the task sent to the worker as `seq`. */
  result(worker: TaskWorker, seq: number, outcome: OutcomeCode, value: unknown, runTimeUs: number): void {
    const task = worker.answer(seq);
    if (task === undefined) return;
    if (outcome !== Outcome.Skipped) {
      if (this.#clock < 0) this.#clock = performance.now();
      this.#recordRun(worker, task, outcome, runTimeUs, this.#clock);
    }
    if (worker.owns(task, seq)) this.#settle(worker, task, outcome, value);
  }

  /** The end of a RESULTS message. */
  messageRead(): void {
    this.#clock = -1;
  }

  /** A result found in the result log of a worker that has ended. */
  logged(worker: TaskWorker, task: TaskRecord, outcome: OutcomeCode, value: unknown, runTimeUs: number): void {
    this.#recordRun(worker, task, outcome, runTimeUs, performance.now());
    this.#settle(worker, task, outcome, value);
  }

  progress(worker: TaskWorker, seq: number, value: unknown, event: string | undefined): void {
    const task = worker.taskAt(seq);
    if (task === undefined) return;
    try {
      if (event === undefined) task.settings.onProgress?.(value);
      else task.settings.onEvent?.(event, value);
    } catch (error) {
      this.#callbackError(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #recordRun(worker: TaskWorker, task: TaskRecord, outcome: OutcomeCode, runTimeUs: number, now: number): void {
    if (outcome === Outcome.UnknownTask) return;
    this.#estimates.record(task.name, runTimeUs);
    worker.runTimeUs += runTimeUs;
    worker.tasksCompleted++;
    this.#stats.recordRun(runTimeUs, (now - task.enqueuedAt) * 1000 - runTimeUs);
  }

  /** Settles (or retries) a task its worker answered. */
  #settle(worker: TaskWorker, task: TaskRecord, outcome: OutcomeCode, value: unknown): void {
    task.worker = undefined;
    switch (outcome) {
      case Outcome.Ok:
        this.#settlement.settle(task, undefined, value);
        break;
      case Outcome.Threw:
        worker.errors++;
        this.#settlement.fail(task, fromWireError(value as WireError), false);
        break;
      case Outcome.NotCloneable:
        this.#settlement.settle(task, new ResultNotCloneableError(task.name, fromWireError(value as WireError)));
        break;
      case Outcome.UnknownTask:
        this.#settlement.settle(task, new UnknownTaskError(chunkedTaskOf(task.name) ?? task.name, value as string[]));
        break;
      case Outcome.Skipped:
        // Not run, though neither aborted nor taken back here: a worker without shared memory gave it back.
        if (task.queueExpired) this.#settlement.settle(task, new QueueTimeoutError(task.queueTimeout ?? 0));
        else {
          this.#stats.takenBack++;
          this.#settlement.requeue([task], undefined);
        }
        break;
    }
  }
}
