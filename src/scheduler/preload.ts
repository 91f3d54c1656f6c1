import type { TaskWorker } from './task.js';

/**
 * Tasks sent to process workers that are still loading their module. While
 * no worker that is ready can take a task, such a worker may be sent one,
 * as yet only one. Its IPC channel holds the task until the module has
 * loaded, and it starts then, without the round trip of READY and a RUN
 * (1–5 ms of a process's start on a 2-core machine). Until READY the pool
 * counts it as sent, not started (see WorkerHandle.serving): a worker that
 * fails to start has it queued again like any other.
 */
export class Preloads {
  /** Workers sent a task while they load, until they are up. */
  readonly #loading = new Set<TaskWorker>();

  /**
   * A worker that may be sent a task now: a process, loading, sent nothing
   * yet, not full this round, and not one that this task would retire
   * (`maxTasksPerWorker: 1`: a worker retired while it loads would never be
   * taken for ready).
   */
  candidate(workers: Iterable<TaskWorker>, round: number, maxTasksPerWorker: number): TaskWorker | undefined {
    for (const worker of workers) {
      if (worker.state === 'starting' && !worker.sharesMemory && worker.unanswered === 0 && worker.fullInRound !== round && worker.dispatched + 1 < maxTasksPerWorker) return worker;
    }
    return undefined;
  }

  /** `worker`, still loading, was sent a task. */
  sent(worker: TaskWorker): void {
    this.#loading.add(worker);
  }

  /**
   * A task was queued: if it comes before (a higher priority) a task sent to
   * a worker that still loads, that one is asked back (a REVOKE, read with
   * the task once the worker is up), so that they run in priority order.
   * Should the worker already have started it, it answers it as usual.
   */
  queued(task: { readonly priority: number }): void {
    if (this.#loading.size === 0) return;
    const priority = task.priority;
    for (const worker of this.#loading) {
      if (worker.state !== 'starting') {
        this.#loading.delete(worker);
        continue;
      }
      const sent = worker.taskAt(worker.lastSentSeq);
      if (sent !== undefined && sent.priority < priority) worker.takeBack(false);
    }
  }
}
