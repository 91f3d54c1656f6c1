/** Percentiles of a duration distribution, in milliseconds. */
export interface DurationSummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

export interface WorkerStats {
  readonly threadId: number;
  readonly state: 'starting' | 'ready' | 'retiring';
  /** Tasks sent to this worker and not yet answered. */
  readonly inFlight: number;
  readonly tasksCompleted: number;
  readonly errors: number;
  readonly averageRunTimeMs: number;
  /** `Date.now()` of the last task result, or of the start if none yet. */
  readonly lastActiveAt: number;
}

export type PoolState = 'starting' | 'running' | 'degraded' | 'closing' | 'closed';

/** An immutable snapshot of the pool, built from counters. */
export interface PoolStats {
  readonly state: PoolState;
  readonly workers: { readonly total: number; readonly busy: number; readonly idle: number; readonly starting: number };
  readonly queued: number;
  /**
   * Tasks on a worker whose promise has not settled. A task that timed out
   * or was aborted is no longer among them while its worker still finishes
   * it (that worker counts as busy), nor is one taken back and run elsewhere.
   */
  readonly running: number;
  /**
   * Tasks `run()` accepted. A call it refused at once is not among them: a full queue
   * (counted in `rejectedQueueFull`), a closed or degraded pool, an unknown task name, an
   * invalid option, or a signal that had already fired.
   */
  readonly submitted: number;
  readonly completed: number;
  /** Tasks that rejected, aborted ones excepted: `completed + failed + aborted` counts every settled task once. */
  readonly failed: number;
  /** Tasks that rejected, by error code (`other` for errors without a string `code`); aborted ones included as `ERR_TASK_ABORTED`. */
  readonly failedByCode: Readonly<Record<string, number>>;
  readonly aborted: number;
  /** Attempts that ran past their `timeout`; an attempt that was then retried counts too. */
  readonly timedOut: number;
  readonly rejectedQueueFull: number;
  /** Extra attempts made after a worker death or timeout. */
  readonly retried: number;
  /** Tasks sent to a worker that did not start them in time (behind a call that overran, or an unresponsive worker), or sent to a process worker still loading when a task with a higher priority came, taken back to run elsewhere. */
  readonly takenBack: number;
  readonly workerCrashes: number;
  readonly workersStarted: number;
  readonly workerStartFailures: number;
  /** Busy time over the lifetime of all workers, 0 to 1. */
  readonly utilization: number;
  readonly runTime: DurationSummary;
  readonly waitTime: DurationSummary;
  readonly perWorker: readonly WorkerStats[];
}
