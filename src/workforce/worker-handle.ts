import { MessageKind } from '../protocol/messages.js';
import { ABORT_SEQ, BUSY, CLAIMED_SEQ, CURRENT_SEQ, sharedStateBytes, START_TABLE_OFFSET, STARTED_AT_FLOAT_INDEX, startTableLength } from '../protocol/shared-slots.js';
import type { RuntimeWorker } from '../runtime/runtime.js';
import type { WorkerStats } from '../stats/snapshot.js';
import { RingBuffer } from '../util/ring-buffer.js';

/** How long a thread worker asked to leave while it loads has before it is terminated (see endWhileLoading). */
const LOADING_EXIT_GRACE_MS = 500;

export type WorkerState = 'starting' | 'ready' | 'retiring' | 'exited';
export type EndReason = 'timeout' | 'abort' | 'recycle' | 'idle' | 'close' | 'load-failed' | 'start-timeout' | 'unresponsive';

/** What a worker handle needs of the tasks sent to it (the scheduler's T is one). */
export interface SentTask {
  /** The handle the task was sent to (compared by identity), or undefined. */
  worker: object | undefined;
  /** Its sequence number there. */
  seq: number;
  /** Its expected run time, counted into that worker's backlog. */
  expectedUs: number;
  readonly settled: boolean;
}

/** Where a task sent to a worker is, by what the worker's slots say. */
export type TaskPhase = 'waiting' | 'running' | 'finished';

/**
 * The pool's view of one worker: the tasks sent to it, in the order it takes
 * them, and what the shared slots say about them (see shared-slots.ts).
 *
 * Every task sent gets the next sequence number and joins `#sent`; an
 * answer (a RESULTS record) to the oldest removes it, and with it every
 * younger one answered before it (a worker that runs several asynchronous
 * tasks at once answers each when it finishes: those are `#answeredAhead`
 * until then). So `#nextSeq - #headSeq` is always `#sent.length`. A task
 * taken back or settled meanwhile stays in `#sent` until its answer comes,
 * but no longer belongs here: `owns(task, seq)` tells.
 */
export class WorkerHandle<T extends SentTask = SentTask> {
  readonly index: number;
  /** How many asynchronous tasks the worker runs at once (asyncTasksPerWorker). */
  readonly asyncTasks: number;
  /** Slots and result log shared with the worker (and the start table, when it runs several tasks at once). */
  readonly memory: SharedArrayBuffer;
  readonly #slots: Int32Array;
  readonly #times: Float64Array;
  /** When each running task started, by `seq % length`; 0: finished (see shared-slots.ts). Only when asyncTasks > 1. */
  readonly #startTable: Float64Array | undefined;
  runtime!: RuntimeWorker;
  state: WorkerState = 'starting';
  /** Index of each task name in this worker's READY list, sent instead of the name. */
  taskIndex: ReadonlyMap<string, number> = new Map();
  readonly #sent = new RingBuffer<T>(64);
  #headSeq = 1;
  #nextSeq = 1;
  /** Tasks answered while an older one is not (asyncTasksPerWorker > 1). */
  readonly #answeredAhead = new Set<number>();
  /** Sum of expected run times of the tasks that belong here and are not answered. */
  #backlogUs = 0;
  /** Its running task overran so far that the tasks behind it were taken back: send nothing until it answers. */
  #overrun = false;
  /** Date.now() when the oldest unanswered task became the oldest (a worker without shared memory reports no start). */
  #headSince = 0;
  /** A worker without shared memory: every task up to this one was taken back by message. */
  #revokedUpTo = 0;
  /** A worker without shared memory that is exiting said which task it was running (0: none). */
  #runningAtExit: number | undefined;
  /** The worker said READY. A worker without shared memory starts nothing it was sent before that (see serving()). */
  #serving = false;
  tasksCompleted = 0;
  errors = 0;
  runTimeUs = 0;
  readonly startedAt = performance.now();
  lastActiveAt = Date.now();
  lastError: Error | undefined;
  /** Where the module's syntax error is, when it failed to load with one. */
  syntaxErrorAt: string | undefined;
  /** Why the pool ended this worker, if it did; undefined for a crash. */
  endReason: EndReason | undefined;
  /** The last dispatch round in which this worker could take no more. */
  fullInRound = 0;
  /** Tasks sent over the worker's life, for maxTasksPerWorker. */
  dispatched = 0;
  idleTimer: NodeJS.Timeout | undefined;
  /** Timers that end the worker if an aborted task does not stop, or if it does not exit when asked. */
  readonly graceTimers = new Set<NodeJS.Timeout>();
  keepsAlive = true;

  constructor(index: number, asyncTasks = 1) {
    this.index = index;
    this.asyncTasks = asyncTasks;
    this.memory = new SharedArrayBuffer(sharedStateBytes(asyncTasks));
    this.#slots = new Int32Array(this.memory, 0, 8);
    this.#times = new Float64Array(this.memory, 0, 8);
    this.#startTable = asyncTasks > 1 ? new Float64Array(this.memory, START_TABLE_OFFSET, startTableLength(asyncTasks)) : undefined;
  }

  get threadId(): number {
    return this.runtime.threadId;
  }

  /** Tasks sent and not yet answered (including any taken back or settled meanwhile). */
  get unanswered(): number {
    return this.#sent.length - this.#answeredAhead.size;
  }

  /**
   * Tasks sent here that still belong here and are unsettled: what
   * `stats().running` counts. Unlike `unanswered`, it leaves out a task
   * taken back and run elsewhere, or settled meanwhile (timed out,
   * aborted), whose answer has not come yet.
   */
  get running(): number {
    let running = 0;
    for (let seq = this.#headSeq; seq < this.#headSeq + this.#sent.length; seq++) if (this.taskAt(seq) !== undefined) running++;
    return running;
  }

  get backlogUs(): number {
    return this.#backlogUs;
  }

  get overrun(): boolean {
    return this.#overrun;
  }

  /**
   * Whether the next task sent here would find its start-table entry still
   * held by an unanswered task (a worker running several tasks at once, one
   * of them long: see shared-slots.ts). Nothing is sent here until it is not.
   */
  get startTableFull(): boolean {
    return this.#startTable !== undefined && this.#nextSeq - this.#headSeq >= this.#startTable.length;
  }

  /** Sequence number of the last task sent. */
  get lastSentSeq(): number {
    return this.#nextSeq - 1;
  }

  /**
   * Whether the worker shares memory with the pool (a thread). A worker that
   * does not (a process) sends each result as it finishes and runs tasks in
   * order, so its oldest unanswered task is the one it runs: the slot
   * getters below then derive what the shared slots would say from that.
   */
  get sharesMemory(): boolean {
    return this.runtime.sharesMemory;
  }

  /** Sequence number of the task the worker runs now (or ran last). */
  get currentSeq(): number {
    if (this.sharesMemory) return Atomics.load(this.#slots, CURRENT_SEQ);
    return this.#serving && this.#sent.length > 0 ? this.#headSeq : this.#headSeq - 1;
  }

  /**
   * The worker said READY. A process worker sent a task while it loaded its
   * module (the dispatcher's preload) holds it in its channel until then, so
   * that task starts now: its run time, its timeout and the watchdog count
   * from here, and a worker that dies before this started none of them.
   */
  serving(): void {
    this.#serving = true;
    if (this.#sent.length > 0) this.#headSince = Date.now();
  }

  /** Every task up to this sequence number has started or was taken back. */
  get claimedSeq(): number {
    if (this.sharesMemory) return Atomics.load(this.#slots, CLAIMED_SEQ);
    return Math.max(this.#revokedUpTo, this.currentSeq);
  }

  /**
   * Every task up to this sequence number may have started here; those after
   * it certainly did not (once the worker is gone, they can run elsewhere).
   * A worker without shared memory starts its tasks in order and answers
   * each at once, so only its oldest unanswered task may have started, and
   * not even that one if the worker said, exiting, that it ran none.
   */
  get mayHaveStartedUpTo(): number {
    if (this.sharesMemory) return Atomics.load(this.#slots, CLAIMED_SEQ);
    if (this.#runningAtExit !== undefined) return this.#runningAtExit === 0 ? this.#headSeq - 1 : this.#runningAtExit;
    return this.currentSeq;
  }

  /** A worker without shared memory is exiting: what it ran then (0: nothing), and the error that ended it, if one did. */
  exiting(runningSeq: number, error: Error | undefined): void {
    this.#runningAtExit = runningSeq;
    if (error !== undefined) this.lastError = error;
  }

  /** Whether the worker runs a task now. */
  get busy(): boolean {
    if (this.sharesMemory) return Atomics.load(this.#slots, BUSY) > 0;
    return this.#serving && this.#sent.length > 0;
  }

  /** `Date.now()` when the current task started. */
  get currentStartedAt(): number {
    if (this.sharesMemory) return this.#times[STARTED_AT_FLOAT_INDEX] ?? 0;
    return this.#headSince;
  }

  /** Whether `task` is this worker's, as sequence number `seq`. */
  owns(task: T, seq: number): boolean {
    return task.worker === this && task.seq === seq && !task.settled;
  }

  /** The task sent as `seq`, if it still belongs here. */
  taskAt(seq: number): T | undefined {
    const task = this.#sent.at(seq - this.#headSeq);
    return task !== undefined && this.owns(task, seq) ? task : undefined;
  }

  /** Sends `task` here (the caller posts the message): it gets the next sequence number. */
  assign(task: T, expectedUs: number): void {
    task.worker = this;
    task.seq = this.#nextSeq++;
    task.expectedUs = expectedUs;
    this.dispatched++;
    this.#backlogUs += expectedUs;
    this.#sent.push(task);
    if (this.#sent.length === 1) this.#headSince = Date.now();
  }

  /** Takes back the newest task, whose message was never sent. */
  unassignNewest(): T | undefined {
    const task = this.#sent.pop();
    if (task === undefined) return undefined;
    task.worker = undefined;
    this.#nextSeq--;
    this.dispatched--;
    this.#backlogUs -= task.expectedUs;
    return task;
  }

  /**
   * The worker answered the task it was sent as `seq`. Returns that task
   * (undefined for a sequence number not unanswered here); the caller checks
   * `owns()` before settling it.
   */
  answer(seq: number): T | undefined {
    if (seq !== this.#headSeq) return this.#answerAhead(seq);
    const answered = this.#answerOldest();
    if (this.#answeredAhead.size > 0) while (this.#answeredAhead.delete(this.#headSeq)) this.#answerOldest();
    return answered?.task;
  }

  /** A task answered before an older one (asyncTasksPerWorker > 1): it leaves `#sent` when the older ones have. */
  #answerAhead(seq: number): T | undefined {
    const task = this.#sent.at(seq - this.#headSeq);
    if (task === undefined || this.#answeredAhead.has(seq)) return undefined;
    this.#answeredAhead.add(seq);
    if (this.owns(task, seq)) this.#backlogUs -= task.expectedUs;
    return task;
  }

  #answerOldest(): { readonly task: T; readonly seq: number } | undefined {
    const task = this.#sent.shift();
    if (task === undefined) return undefined;
    const seq = this.#headSeq++;
    this.#overrun = false;
    this.#headSince = Date.now();
    if (this.owns(task, seq)) this.#backlogUs -= task.expectedUs;
    if (this.#sent.length === 0) this.#backlogUs = 0;
    return { task, seq };
  }

  /**
   * Takes back every task sent here that the worker has not started, with
   * one compare-and-swap on CLAIMED_SEQ (see shared-slots.ts): none of them
   * can start here afterwards. Returns those that still belong here, in
   * sequence order; they no longer do. `overrun`: the running task overran,
   * so nothing more is sent here until it answers.
   */
  takeBack(overrun: boolean): T[] {
    const last = this.#nextSeq - 1;
    if (!this.sharesMemory) return this.#revoke(last, overrun);
    let claimed = Atomics.load(this.#slots, CLAIMED_SEQ);
    while (claimed < last) {
      const previous = Atomics.compareExchange(this.#slots, CLAIMED_SEQ, claimed, last);
      if (previous === claimed) break;
      claimed = previous;
    }
    if (overrun) this.#overrun = true;
    const taken: T[] = [];
    for (let seq = claimed + 1; seq <= last; seq++) {
      const task = this.taskAt(seq);
      if (task === undefined) continue;
      task.worker = undefined;
      this.#backlogUs -= task.expectedUs;
      taken.push(task);
    }
    return taken;
  }

  /**
   * A worker without shared memory cannot be raced for a claim: it is asked
   * to skip every task up to `last` it has not started (a REVOKE message,
   * which it reads before starting its next task), and answers each one it
   * skips as Skipped; those answers put them back. Nothing is taken back
   * here and now.
   */
  #revoke(last: number, overrun: boolean): T[] {
    if (overrun) this.#overrun = true;
    if (last > this.#revokedUpTo) {
      this.#revokedUpTo = last;
      this.runtime.post([MessageKind.Revoke, last], []);
    }
    return [];
  }

  /** Empties the record of sent tasks (the worker is gone), returning each unanswered one with its sequence number. */
  *forgetAll(): Generator<{ readonly task: T; readonly seq: number }> {
    for (let answer = this.#answerOldest(); answer !== undefined; answer = this.#answerOldest()) {
      if (!this.#answeredAhead.delete(answer.seq)) yield answer;
    }
  }

  /** Lets a synchronous task's `throwIfAborted()` see the abort without a message (a worker sharing memory). */
  requestAbort(seq: number): void {
    if (this.sharesMemory) Atomics.store(this.#slots, ABORT_SEQ, seq);
  }

  /**
   * What the slots say of the task sent here as `seq`: not started yet,
   * running (since `startedAtOf(seq)`), or finished (its answer may still be
   * on its way). A worker that runs one task at a time runs them in order.
   */
  phaseOf(seq: number): TaskPhase {
    if (this.#startTable !== undefined) {
      if (seq > Atomics.load(this.#slots, CLAIMED_SEQ)) return 'waiting';
      return (this.#startTable[seq % this.#startTable.length] ?? 0) > 0 ? 'running' : 'finished';
    }
    const currentSeq = this.currentSeq;
    if (seq > currentSeq) return 'waiting';
    return seq < currentSeq || !this.busy ? 'finished' : 'running';
  }

  /** `Date.now()` when the task sent here as `seq` started, if it runs now (see phaseOf). */
  startedAtOf(seq: number): number {
    if (this.#startTable !== undefined) return this.#startTable[seq % this.#startTable.length] ?? 0;
    return this.currentStartedAt;
  }

  /** Whether the task with this sequence number is running right now. */
  isRunning(seq: number): boolean {
    return seq >= this.#headSeq && !this.#answeredAhead.has(seq) && this.phaseOf(seq) === 'running';
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

  /**
   * Ends a worker that is still loading its module. A thread is asked to
   * leave (a CLOSE, which it reads while it loads: worker/serve.ts) and
   * terminated only if it has not exited within LOADING_EXIT_GRACE_MS (its loading
   * blocks its event loop): Node 20 aborts the whole process when a worker
   * is terminated just as a module with top-level await starts to evaluate
   * (docs/isolation.md). A process is ended at once: it reads no message
   * before its module has loaded, and ending it cannot touch the pool's.
   */
  endWhileLoading(): void {
    if (!this.sharesMemory) {
      this.runtime.terminate();
      return;
    }
    this.askToExit(LOADING_EXIT_GRACE_MS);
  }

  /** Asks the worker to exit (CLOSE), terminating it if it has not within `graceMs`. */
  askToExit(graceMs: number): void {
    this.runtime.post([MessageKind.Close], []);
    const timer = setTimeout(() => {
      this.runtime.terminate();
    }, graceMs);
    timer.unref();
    this.graceTimers.add(timer);
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
      inFlight: this.#sent.length,
      tasksCompleted: this.tasksCompleted,
      errors: this.errors,
      averageRunTimeMs: this.tasksCompleted === 0 ? 0 : Math.round(this.runTimeUs / this.tasksCompleted) / 1000,
      lastActiveAt: this.lastActiveAt,
    });
  }
}
