import { TAKE_BACK_AFTER_MS } from '../protocol/messages.js';
import type { TaskRecord, TaskWorker } from './task.js';

/** How often the watchdog looks, at most, while tasks wait in a worker behind another. */
const INTERVAL_MS = 5;
/** How often it looks while tasks are out and none waits behind another: only unresponsiveness can show then. */
const CALM_INTERVAL_MS = 100;
/** A running task overruns once it has run this many times its expected run time… */
const OVERRUN_FACTOR = 8;
/** …and at least this long (a process worker counts on it, see TAKE_BACK_AFTER_MS). */
const OVERRUN_MIN_MS = TAKE_BACK_AFTER_MS;
/** Once a task that others wait behind has overrun, it looks this many times per overrun time of that task. */
const LOOKS_PER_OVERRUN = 4;

/** How long `expectedUs` of work may run before it overruns. */
function overrunAfterMs(expectedUs: number): number {
  return Math.max(OVERRUN_MIN_MS, (expectedUs / 1000) * OVERRUN_FACTOR);
}

/**
 * How long until the next look at a worker is due, from `now` (`Date.now()`):
 * in 100 ms unless tasks wait there behind a running one; then when that one
 * would overrun (5 ms behind a batch of short calls, 80 ms behind a 10 ms
 * task), not before, so that a worker that holds the next task ready costs
 * no wake-up while its tasks end on time. Once it has overrun (and no other
 * worker could take the tasks then), a quarter of its overrun time.
 */
function lookInMs(worker: TaskWorker, now: number): number {
  if (worker.unanswered <= 1 || worker.claimedSeq >= worker.lastSentSeq) return CALM_INTERVAL_MS;
  // Unknown (the slots lag the answers by a moment): as closely as ever.
  const running = worker.taskAt(worker.currentSeq);
  if (running === undefined) return INTERVAL_MS;
  const overrunMs = overrunAfterMs(running.expectedUs);
  const untilOverrun = worker.currentStartedAt + overrunMs - now;
  return Math.min(CALM_INTERVAL_MS, Math.max(INTERVAL_MS, untilOverrun > 0 ? untilOverrun : overrunMs / LOOKS_PER_OVERRUN));
}

export interface WatchdogHooks {
  /** The workers to watch. */
  readonly workers: () => Iterable<TaskWorker>;
  /** Whether a worker could take tasks at once: one is idle, or the pool may start one. */
  readonly canTakeMore: () => boolean;
  /** Tasks taken back from a worker whose running task overran; they must run elsewhere. */
  readonly overran: (tasks: TaskRecord[]) => void;
  /** A worker that neither runs a task nor takes the ones it was sent: replace it. */
  readonly unresponsive: (worker: TaskWorker) => void;
}

interface Progress {
  /** What the slots and answers said last time; any change is progress. */
  claimedSeq: number;
  unanswered: number;
  busy: boolean;
  since: number;
}

/**
 * Looks at the workers while tasks are out, through their shared slots (no
 * message), for two conditions nothing else notices. While a worker holds
 * tasks it has not started behind a running one, it looks when that one
 * would overrun (5 ms after it started, behind short calls), then four
 * times per overrun time while it does; every 100 ms otherwise, and at
 * least that often. A pool whose tasks end on time so costs few wake-ups
 * to watch, even while each process worker holds its next task ready:
 *
 * - Head-of-line blocking: short tasks travel in batches, so tasks can wait
 *   in a worker behind a call that turned out far slower than its estimate.
 *   Once the running call has overrun, and another worker is idle (or the
 *   pool may start one), the tasks behind it are taken back (an atomic
 *   claim, so none can also start there) and run by that worker.
 * - An unresponsive worker: one that runs no task, yet has left tasks it was
 *   sent unstarted or unanswered for `unresponsiveTimeout` (its event loop is
 *   blocked outside any task, or it no longer reads its messages). It is
 *   replaced; its tasks run elsewhere.
 */
export class Watchdog {
  readonly #hooks: WatchdogHooks;
  readonly #unresponsiveMs: number;
  readonly #progress = new WeakMap<TaskWorker, Progress>();
  #timer: NodeJS.Timeout | undefined;
  /** `Date.now()` when the next look is due, while the timer is set. */
  #nextLookAt = 0;
  /** Whether the look due was set at most INTERVAL_MS ahead: none could be needed sooner. */
  #soon = false;

  constructor(unresponsiveTimeoutMs: number, hooks: WatchdogHooks) {
    this.#unresponsiveMs = unresponsiveTimeoutMs;
    this.#hooks = hooks;
  }

  /** A task was sent to `worker`: watch until none is out, with a look by the time its tasks could need one. */
  wake(worker: TaskWorker): void {
    // Called for every task sent: once the look due is as close as looks ever are, there is nothing to work out.
    if (this.#soon) return;
    const now = Date.now();
    this.#lookWithin(lookInMs(worker, now), now);
  }

  stop(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#soon = false;
  }

  /** Sets the next look `ms` from `now`, unless one is due sooner. */
  #lookWithin(ms: number, now: number): void {
    if (this.#timer !== undefined) {
      if (now + ms >= this.#nextLookAt) return;
      clearTimeout(this.#timer);
    }
    this.#nextLookAt = now + ms;
    this.#soon = ms <= INTERVAL_MS;
    this.#timer = setTimeout(this.#tick, ms);
    this.#timer.unref();
  }

  readonly #tick = (): void => {
    const now = performance.now();
    this.#timer = undefined;
    this.#soon = false;
    const watched: TaskWorker[] = [];
    for (const worker of this.#hooks.workers()) {
      if (worker.state === 'exited' || worker.state === 'starting' || worker.unanswered === 0) {
        this.#progress.delete(worker);
        continue;
      }
      watched.push(worker);
      if (this.#madeProgress(worker, now)) {
        if (worker.busy && worker.claimedSeq < worker.lastSentSeq) this.#checkOverrun(worker);
        continue;
      }
      const progress = this.#progress.get(worker);
      if (progress !== undefined && !progress.busy && now - progress.since >= this.#unresponsiveMs) {
        this.#progress.delete(worker);
        this.#hooks.unresponsive(worker);
      } else if (worker.busy && worker.claimedSeq < worker.lastSentSeq) {
        this.#checkOverrun(worker);
      }
    }
    if (watched.length === 0) return;
    // After every look: taking tasks back changes when the next is due.
    const nowMs = Date.now();
    let inMs = CALM_INTERVAL_MS;
    for (const worker of watched) inMs = Math.min(inMs, lookInMs(worker, nowMs));
    // A worker replaced, or tasks sent meanwhile, set a look of their own (wake()): the sooner stands.
    this.#lookWithin(inMs, nowMs);
  };

  /** Records what the worker's slots say; true if anything moved since the last look. */
  #madeProgress(worker: TaskWorker, now: number): boolean {
    const claimedSeq = worker.claimedSeq;
    const unanswered = worker.unanswered;
    const busy = worker.busy;
    const last = this.#progress.get(worker);
    if (last !== undefined && last.claimedSeq === claimedSeq && last.unanswered === unanswered && last.busy === busy) return false;
    this.#progress.set(worker, { claimedSeq, unanswered, busy, since: now });
    return true;
  }

  #checkOverrun(worker: TaskWorker): void {
    // The slots lag the answers by a moment: a task already answered (or settled) is not what holds the others up.
    const running = worker.taskAt(worker.currentSeq);
    if (running === undefined) return;
    const runningForMs = Date.now() - worker.currentStartedAt;
    if (runningForMs < overrunAfterMs(running.expectedUs)) return;
    // Only worth it when another worker can run them now: when every worker is busy, moving tasks
    // between them gains nothing (and a thread the OS merely paused for a few ms looks just the same).
    if (!this.#hooks.canTakeMore()) return;
    const tasks = worker.takeBack(true);
    if (tasks.length > 0) this.#hooks.overran(tasks);
  }
}
