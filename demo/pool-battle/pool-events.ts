import type { Pool, WorkerExitInfo } from 'spindle';

export type ExitReason = WorkerExitInfo['reason'];

export interface EventCounts {
  readonly workerStart: number;
  readonly workerExit: Readonly<Partial<Record<ExitReason, number>>>;
  readonly workerError: number;
  readonly backpressure: number;
  readonly drain: number;
}

/**
 * Counts the pool's events from the moment it is created: workers started
 * and ended (by reason), back-pressure episodes and drains. Scenarios compare
 * snapshots taken before and after.
 */
export class PoolEventLog {
  #workerStart = 0;
  readonly #workerExit: Partial<Record<ExitReason, number>> = {};
  #workerError = 0;
  #backpressure = 0;
  #drain = 0;

  constructor(pool: Pick<Pool, 'on'>) {
    pool.on('workerStart', () => {
      this.#workerStart++;
    });
    pool.on('workerExit', (info) => {
      this.#workerExit[info.reason] = (this.#workerExit[info.reason] ?? 0) + 1;
    });
    pool.on('workerError', () => {
      this.#workerError++;
    });
    pool.on('backpressure', () => {
      this.#backpressure++;
    });
    pool.on('drain', () => {
      this.#drain++;
    });
  }

  snapshot(): EventCounts {
    return { workerStart: this.#workerStart, workerExit: { ...this.#workerExit }, workerError: this.#workerError, backpressure: this.#backpressure, drain: this.#drain };
  }

  /** Events since `before`. */
  since(before: EventCounts): EventCounts {
    const now = this.snapshot();
    const workerExit: Partial<Record<ExitReason, number>> = {};
    for (const [reason, value] of Object.entries(now.workerExit) as [ExitReason, number][]) {
      const delta = value - (before.workerExit[reason] ?? 0);
      if (delta !== 0) workerExit[reason] = delta;
    }
    return {
      workerStart: now.workerStart - before.workerStart,
      workerExit,
      workerError: now.workerError - before.workerError,
      backpressure: now.backpressure - before.backpressure,
      drain: now.drain - before.drain,
    };
  }
}

export function exits(counts: EventCounts, reason: ExitReason): number {
  return counts.workerExit[reason] ?? 0;
}
