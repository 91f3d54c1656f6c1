import type { Transferable } from 'node:worker_threads';
import { MessageKind } from '../protocol/messages.js';
import { availableParallelism } from 'node:os';
import { BusyPoll, sparesACpu } from './busy-poll.js';
import { aheadShare, mayHoldAhead, needsRefill } from './lookahead.js';
import { Preloads } from './preload.js';
import { RunTimeEstimates } from './run-time-estimates.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskRecord, TaskWorker } from './task.js';
import type { Workforce } from '../workforce/workforce.js';

/**
 * How much expected work (µs) a worker may hold beyond the task it runs.
 * Short tasks travel many to a message; a task known to be long travels
 * alone, so it never delays short ones queued behind it.
 */
const BACKLOG_BUDGET_US = 2_000;
const MAX_IN_FLIGHT = 512;

export interface DispatchHooks {
  /** The task was sent to a worker (its run deadline starts here). */
  readonly sent: (task: TaskRecord) => void;
  /** The task's argument could not be cloned; it never left. */
  readonly notCloneable: (task: TaskRecord, error: unknown) => void;
}

/** A task expected to run longer than this makes the worker send the results it holds before starting it. */
const SLOW_TASK_US = 500;

/**
 * The sequence number as sent: negated when the worker should first send the
 * results it holds (see messages.ts), because the task is expected to be slow
 * or may get its worker ended (it has a timeout or a signal). A process
 * worker holds no results (it sends each as it finishes): to it the sign
 * says that the pool may have to reach it about the task before it starts
 * or while it runs (an abort, a timeout, a queueTimeout that takes it back),
 * so that it reads its messages before it starts the task and again before
 * the next one (see runner.ts).
 */
function wireSeq(task: TaskRecord, sharesMemory: boolean): number {
  const mayBeReached = task.timeout !== undefined || task.signal !== undefined || (!sharesMemory && task.queueTimeout !== undefined);
  return mayBeReached || (sharesMemory && task.expectedUs > SLOW_TASK_US) ? -task.seq : task.seq;
}

/**
 * Moves queued tasks to workers in batches: the worker with the least
 * expected backlog first, as many tasks per message as its budget allows.
 */
export class Dispatcher {
  readonly estimates = new RunTimeEstimates(BACKLOG_BUDGET_US);
  readonly #queue: TaskQueue<TaskRecord>;
  readonly #workforce: Workforce<TaskRecord>;
  readonly #maxTasksPerWorker: number;
  readonly #hooks: DispatchHooks;
  readonly #busyPoll: BusyPoll;
  /** The CPUs this process may use (see sparesACpu). */
  readonly #cpus = availableParallelism();
  readonly #startEagerly: boolean;
  /** A pool of process workers sends a task ahead to one still loading (see Preloads); undefined otherwise. */
  readonly #preloads: Preloads | undefined;
  /** Most unanswered tasks per worker (see ResolvedOptions.sendLimitPerWorker); Infinity: batching by backlog. */
  readonly #sendLimit: number;
  #round = 0;

  constructor(
    queue: TaskQueue<TaskRecord>,
    workforce: Workforce<TaskRecord>,
    maxTasksPerWorker: number,
    busyPollUs: number,
    hooks: DispatchHooks,
    limits: { readonly startEagerly: boolean; readonly sendLimitPerWorker: number; readonly runtime?: 'thread' | 'process' } = { startEagerly: false, sendLimitPerWorker: Infinity },
  ) {
    this.#startEagerly = limits.startEagerly;
    this.#sendLimit = limits.sendLimitPerWorker;
    this.#preloads = limits.runtime === 'process' && !limits.startEagerly && limits.sendLimitPerWorker === Infinity ? new Preloads() : undefined;
    this.#queue = queue;
    this.#workforce = workforce;
    this.#maxTasksPerWorker = maxTasksPerWorker;
    this.#hooks = hooks;
    this.#busyPoll = new BusyPoll(busyPollUs, () => workforce.workers.some((worker) => worker.unanswered > 0));
  }

  /** The worker's remaining tasks are expected back within the busy-poll window: keep the loop awake for them, if a CPU is left for that (sparesACpu). */
  expectResults(worker: TaskWorker): void {
    if (worker.unanswered > 0 && worker.backlogUs <= this.#busyPoll.windowUs && sparesACpu(worker, this.#workforce.workers, this.#cpus)) this.#busyPoll.expectSoon();
  }

  /**
   * Dispatches until the queue is empty or no worker has room; then asks the
   * workforce to grow. What is queued is shared out among idle workers: no
   * worker takes more than its share in one message while another sits idle,
   * so a handful of tiny tasks (whose backlog is next to nothing) run on
   * every worker rather than all on the first, and the pool's thread handles
   * one worker's results while the others run. Busy workers are left out of
   * the count: halving every batch between them shrinks batches to a task or
   * two once work flows.
   */
  dispatchAll(): void {
    const round = ++this.#round;
    // Limited sends go one at a time, each to the least loaded worker.
    const share = this.#sendLimit !== Infinity ? 1 : Math.ceil(this.#queue.size / Math.max(this.#workforce.idleCount, 1));
    while (this.#queue.size > 0) {
      const worker = this.#pickWorker(round);
      if (worker === undefined) {
        const before = this.#workforce.workers.length;
        this.#workforce.grow(this.#queue.size);
        // A worker started eagerly takes tasks while it loads: send to it now.
        if (this.#startEagerly && this.#workforce.workers.length > before) continue;
        return;
      }
      const sent = worker.state === 'starting' && this.#preloads !== undefined ? this.#preload(worker, this.#preloads) : this.#dispatch(worker, share);
      if (sent === 0) worker.fullInRound = round;
    }
  }

  #pickWorker(round: number): TaskWorker | undefined {
    let best: TaskWorker | undefined;
    for (const worker of this.#workforce.workers) {
      if (!this.#accepting(worker) || worker.fullInRound === round || !this.#hasRoom(worker) || this.#holdsEnough(worker)) continue;
      if (best === undefined) best = worker;
      else if (this.#sendLimit !== Infinity) {
        // Limited sends: the fewest unanswered first (an idle worker before a half-busy one).
        if (worker.unanswered < best.unanswered || (worker.unanswered === best.unanswered && worker.backlogUs < best.backlogUs)) best = worker;
      } else if (worker.backlogUs < best.backlogUs) best = worker;
    }
    return best ?? this.#preloads?.candidate(this.#workforce.workers, round, this.#maxTasksPerWorker);
  }

  /** A task was queued: a task sent ahead to a loading worker gives way to it if it comes first (see Preloads). */
  queued(task: TaskRecord): void {
    this.#preloads?.queued(task);
  }

  /**
   * Sends the task at the head of the queue, alone, to a worker still
   * loading (see Preloads); not one with a `queueTimeout`: sent ahead, it
   * could be taken back only once the worker is up, so it waits in the
   * queue, where its deadline rejects it on time.
   */
  #preload(worker: TaskWorker, preloads: Preloads): number {
    const task = this.#queue.shift();
    if (task === undefined) return 0;
    if (task.queueTimeout !== undefined) {
      this.#queue.pushFront(task);
      return 0;
    }
    this.#sendOne(worker, task);
    preloads.sent(worker);
    return 1;
  }

  /** Whether a worker takes tasks now: ready, or still loading when workers start eagerly. */
  #accepting(worker: TaskWorker): boolean {
    return worker.state === 'ready' || (worker.state === 'starting' && this.#startEagerly);
  }

  /**
   * A worker without shared memory (a process) answers each task in a
   * message of its own: refilled on every answer, it would get one task per
   * message, and the IPC messages would cost more than the tasks. It is
   * refilled once it holds less than half of what it may; tasks then travel
   * many to a message.
   */
  #holdsEnough(worker: TaskWorker): boolean {
    if (worker.sharesMemory || worker.unanswered === 0 || this.#sendLimit !== Infinity) return false;
    // The lookahead is asked last, only when the budget says enough: it looks at every worker.
    return (worker.backlogUs > BACKLOG_BUDGET_US / 2 || worker.unanswered > MAX_IN_FLIGHT / 2) && !needsRefill(worker, this.#workforce);
  }

  #hasRoom(worker: TaskWorker): boolean {
    if (worker.dispatched >= this.#maxTasksPerWorker) return false;
    const unanswered = worker.unanswered;
    if (this.#sendLimit !== Infinity) return unanswered < this.#sendLimit && !worker.startTableFull;
    return unanswered === 0 || (!worker.overrun && worker.backlogUs < BACKLOG_BUDGET_US && unanswered < MAX_IN_FLIGHT) || this.#holdsAhead(worker);
  }

  /** A process worker may take tasks past its backlog budget, to start each the moment the one before ends (see lookahead.ts). Only asked where sends are not limited. */
  #holdsAhead(worker: TaskWorker): boolean {
    return mayHoldAhead(worker, this.#workforce);
  }

  /**
   * Sends one task to the worker a caller chose (spindle/piscina's
   * `loadBalancer`), now, whatever its backlog: the caller decided it has
   * room. False, and nothing sent, when that worker cannot take it at all:
   * it is not taking tasks, it has had its `maxTasksPerWorker`, its start
   * table is full, or the task moves buffers and the worker is busy (once
   * sent, such a task could not be taken back to run elsewhere).
   */
  sendTo(worker: TaskWorker, task: TaskRecord): boolean {
    if (!this.#accepting(worker) || worker.dispatched >= this.#maxTasksPerWorker || worker.startTableFull) return false;
    if (task.transferList.length > 0 && worker.sharesMemory && worker.unanswered > 0) return false;
    this.#sendOne(worker, task);
    return true;
  }

  /** Sends `task` alone to `worker`, now. */
  #sendOne(worker: TaskWorker, task: TaskRecord): void {
    this.#assign(task, worker, this.estimates.expectedUs(task.name));
    this.#post(worker, [task], [MessageKind.Run, wireSeq(task, worker.sharesMemory), worker.taskIndex.get(task.name) ?? task.name, task.argument], task.transferList);
  }

  /** Sends up to `limit` queued tasks to `worker`, as many as its backlog budget allows, in one message; returns how many. */
  #dispatch(worker: TaskWorker, limit: number): number {
    const message: unknown[] = [MessageKind.Run];
    const tasks: TaskRecord[] = [];
    let transferList: Transferable[] | undefined;
    // How many more tasks may go past the backlog budget (held ahead by a process worker): set at the first such task, fewer once the queue runs short.
    let aheadLeft: number | undefined;
    while (tasks.length < limit && this.#queue.size > 0 && this.#hasRoom(worker)) {
      const task = this.#queue.shift();
      if (task === undefined) break;
      const expectedUs = this.estimates.expectedUs(task.name);
      const busy = worker.unanswered > 0;
      const pastBudget = busy && worker.backlogUs + expectedUs > BACKLOG_BUDGET_US;
      if (pastBudget) aheadLeft ??= aheadShare(this.#queue.size + 1, this.#workforce.workers.length);
      // A task that moves buffers goes only to a worker with nothing else to do, so it starts at once:
      // once sent, its argument is gone from here, and it could never be taken back to run elsewhere.
      // (A process worker gets a copy: nothing moves.)
      if (busy && this.#sendLimit === Infinity && ((pastBudget && (aheadLeft === 0 || !this.#holdsAhead(worker))) || (task.transferList.length > 0 && worker.sharesMemory))) {
        this.#queue.pushFront(task);
        break;
      }
      if (aheadLeft !== undefined && pastBudget) aheadLeft--;
      this.#assign(task, worker, expectedUs);
      tasks.push(task);
      message.push(wireSeq(task, worker.sharesMemory), worker.taskIndex.get(task.name) ?? task.name, task.argument);
      if (task.transferList.length > 0) (transferList ??= []).push(...task.transferList);
    }
    if (tasks.length === 0) return 0;
    this.#post(worker, tasks, message, transferList ?? []);
    return tasks.length;
  }

  /** Sends `tasks`, assigned to `worker`, in `message`; if it cannot be cloned, each task alone, so that only the guilty ones fail. */
  #post(worker: TaskWorker, tasks: readonly TaskRecord[], message: readonly unknown[], transferList: readonly Transferable[]): void {
    this.#workforce.markBusy(worker);
    try {
      worker.runtime.post(message, transferList);
      for (const task of tasks) this.#sent(task);
    } catch {
      this.#unassign(worker, tasks);
      this.#dispatchOneByOne(worker, tasks);
      // Every argument failed to clone: nothing went out, so the worker is idle again.
      // (A worker still loading stays as it is: it is marked idle once it is ready.)
      if (worker.unanswered === 0 && worker.state === 'ready') this.#workforce.markIdle(worker);
    }
    this.expectResults(worker);
    if (worker.dispatched >= this.#maxTasksPerWorker) this.#workforce.retire(worker, 'recycle');
  }

  #assign(task: TaskRecord, worker: TaskWorker, expectedUs: number): void {
    worker.assign(task, expectedUs);
  }

  #sent(task: TaskRecord): void {
    if (task.transferList.length > 0 && task.worker?.sharesMemory === true) task.argumentMoved = true;
    this.#hooks.sent(task);
  }

  /** Takes back the newest `tasks` from a worker (their message was never sent). */
  #unassign(worker: TaskWorker, tasks: readonly TaskRecord[]): void {
    for (let index = tasks.length - 1; index >= 0; index--) worker.unassignNewest();
  }

  /** A batch failed to clone: send each task alone so that only the guilty ones fail. */
  #dispatchOneByOne(worker: TaskWorker, tasks: readonly TaskRecord[]): void {
    for (const task of tasks) {
      this.#assign(task, worker, task.expectedUs);
      try {
        worker.runtime.post([MessageKind.Run, wireSeq(task, worker.sharesMemory), worker.taskIndex.get(task.name) ?? task.name, task.argument], task.transferList);
        this.#sent(task);
      } catch (error) {
        this.#unassign(worker, [task]);
        this.#hooks.notCloneable(task, error);
      }
    }
  }
}
