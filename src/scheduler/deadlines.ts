import type { TaskRecord } from './task.js';

export interface DeadlineHooks {
  /** The task has waited `queueTimeout` and may not have started (in the queue, or sent and still waiting in a worker). */
  readonly queueExpired: (task: TaskRecord) => void;
  /** The task's current attempt has run for `timeout` since it started. */
  readonly runExpired: (task: TaskRecord) => void;
}

/** Margin under which a run timer that fires a little early counts as expired. */
const EARLY_MS = 1;
/** A task that finished but whose result is not in yet: look again this soon. */
const RESULT_DUE_MS = 5;

/**
 * The two deadlines of a task. `queueTimeout` runs from submission (or a
 * retry) until the task starts, wherever it waits: in the pool's queue, or
 * sent in a batch and waiting behind other tasks in a worker. `timeout`
 * runs from the moment the task starts. Tasks travel in batches, so the
 * pool does not see a task start: when a run timer fires, the worker's
 * shared slots tell whether and since when the task runs, and the timer is
 * set again for the rest.
 */
export class Deadlines {
  readonly #hooks: DeadlineHooks;

  constructor(hooks: DeadlineHooks) {
    this.#hooks = hooks;
  }

  /** Starts the queue deadline of a task that enters the queue (a submission or a retry). */
  armQueue(task: TaskRecord): void {
    const queueTimeout = task.queueTimeout;
    if (queueTimeout === undefined) return;
    this.clearQueue(task);
    task.queueTimer = setTimeout(() => {
      task.queueTimer = undefined;
      if (!task.settled) this.#hooks.queueExpired(task);
    }, queueTimeout);
  }

  clearQueue(task: TaskRecord): void {
    if (task.queueTimer === undefined) return;
    clearTimeout(task.queueTimer);
    task.queueTimer = undefined;
  }

  /** Starts the run deadline of an attempt just sent to a worker. */
  armRun(task: TaskRecord): void {
    const timeout = task.timeout;
    if (timeout !== undefined) this.#setRunTimer(task, timeout);
  }

  clearRun(task: TaskRecord): void {
    if (task.runTimer === undefined) return;
    clearTimeout(task.runTimer);
    task.runTimer = undefined;
  }

  clearAll(task: TaskRecord): void {
    this.clearQueue(task);
    this.clearRun(task);
  }

  #setRunTimer(task: TaskRecord, delayMs: number): void {
    this.clearRun(task);
    task.runTimer = setTimeout(() => {
      task.runTimer = undefined;
      this.#checkRun(task);
    }, delayMs);
  }

  /** The run timer fired: consult the worker's slots to learn whether the task has started, and since when. */
  #checkRun(task: TaskRecord): void {
    const worker = task.worker;
    const timeout = task.timeout;
    if (worker === undefined || task.settled || timeout === undefined || worker.taskAt(task.seq) !== task) return;
    const phase = worker.phaseOf(task.seq);
    if (phase === 'waiting') {
      this.#setRunTimer(task, timeout); // not started yet
      return;
    }
    if (phase === 'finished') {
      this.#setRunTimer(task, RESULT_DUE_MS); // its result is on the way
      return;
    }
    const elapsedMs = Date.now() - worker.startedAtOf(task.seq);
    if (elapsedMs < timeout - EARLY_MS) {
      this.#setRunTimer(task, timeout - elapsedMs);
      return;
    }
    this.#hooks.runExpired(task);
  }
}
