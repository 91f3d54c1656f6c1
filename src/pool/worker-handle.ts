import { BUSY, CURRENT_SEQ, SHARED_STATE_BYTES, STARTED_AT_FLOAT_INDEX, ABORT_SEQ } from '../protocol/shared-slots.js';
import type { RuntimeWorker } from '../runtime/runtime.js';
import type { WorkerStats } from '../stats/snapshot.js';
import { RingBuffer } from './ring-buffer.js';
import type { TaskRecord } from './task.js';

export type WorkerState = 'starting' | 'ready' | 'retiring' | 'exited';

/**
 * The pool's view of one worker: the tasks sent to it, in the order it runs
 * them, and what the shared-state slots say about the one running now.
 */
export class WorkerHandle {
  readonly index: number;
  readonly sharedBuffer = new SharedArrayBuffer(SHARED_STATE_BYTES);
  readonly #shared = new Int32Array(this.sharedBuffer);
  readonly #times = new Float64Array(this.sharedBuffer);
  runtime!: RuntimeWorker;
  state: WorkerState = 'starting';
  /** Index of each task name in this worker's READY list, sent instead of the name. */
  taskIndex: ReadonlyMap<string, number> = new Map();
  /** Sent and not yet answered, in sequence order; the head has sequence `headSeq`. */
  readonly inFlight = new RingBuffer<TaskRecord>(64);
  headSeq = 1;
  nextSeq = 1;
  /** Sum of expected run times of the in-flight tasks. */
  backlogUs = 0;
  tasksCompleted = 0;
  errors = 0;
  runTimeUs = 0;
  readonly startedAt = performance.now();
  lastActiveAt = Date.now();
  lastError: Error | undefined;
  /** Why the pool ended this worker, if it did; undefined for a crash. */
  endReason: 'timeout' | 'abort' | 'recycle' | 'idle' | 'close' | 'load-failed' | undefined;
  /** The last dispatch round in which this worker could take no more. */
  fullInRound = 0;
  /** Tasks sent over the worker's life, for maxTasksPerWorker. */
  dispatched = 0;
  idleTimer: NodeJS.Timeout | undefined;
  /** Timers that end the worker if an aborted task does not stop, or if it does not exit when asked. */
  readonly graceTimers = new Set<NodeJS.Timeout>();
  keepsAlive = true;

  constructor(index: number) {
    this.index = index;
  }

  get threadId(): number {
    return this.runtime.threadId;
  }

  /** Sequence number of the task the worker runs now (or ran last). */
  get currentSeq(): number {
    return Atomics.load(this.#shared, CURRENT_SEQ);
  }

  get busy(): boolean {
    return Atomics.load(this.#shared, BUSY) === 1;
  }

  /** `Date.now()` when the current task started. */
  get currentStartedAt(): number {
    return this.#times[STARTED_AT_FLOAT_INDEX] ?? 0;
  }

  /** Lets a synchronous task's `throwIfAborted()` see the abort without a message. */
  requestAbort(seq: number): void {
    Atomics.store(this.#shared, ABORT_SEQ, seq);
  }

  /** Whether the task with this sequence number is running right now. */
  isRunning(seq: number): boolean {
    return this.currentSeq === seq && this.busy && this.headSeq <= seq;
  }

  keepAlive(keep: boolean): void {
    if (keep === this.keepsAlive || this.state === 'exited') return;
    this.keepsAlive = keep;
    this.runtime.ref(keep);
  }

  clearIdleTimer(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  clearTimers(): void {
    this.clearIdleTimer();
    for (const timer of this.graceTimers) clearTimeout(timer);
    this.graceTimers.clear();
  }

  snapshot(): WorkerStats {
    return Object.freeze({
      threadId: this.threadId,
      state: this.state === 'exited' ? 'retiring' : this.state,
      inFlight: this.inFlight.length,
      tasksCompleted: this.tasksCompleted,
      errors: this.errors,
      averageRunTimeMs: this.tasksCompleted === 0 ? 0 : Math.round(this.runTimeUs / this.tasksCompleted) / 1000,
      lastActiveAt: this.lastActiveAt,
    });
  }
}
