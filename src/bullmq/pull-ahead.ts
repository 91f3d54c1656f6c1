/**
 * How many jobs a fleet node with the default concurrency takes from Redis:
 * one per worker of its pool, and, while its jobs are short, one more per
 * worker waiting in the pool.
 *
 * A BullMQ worker fetches a job only when a slot frees: the job before it
 * has to reach Redis as completed (one script) and the next one come back,
 * while the pool's worker that ran it sits idle. For a job of a few ms that
 * round trip is a large share of the job (fib(25) on the 2-core VM where
 * this was measured: about 2.5 ms of CPU in a 5–6 ms cycle per slot), so a
 * node that pulls one job ahead per worker keeps its workers busy. Behind a
 * long job, a job held ahead would wait for it while another node may be
 * idle, so it is held only while the node's recent jobs were short.
 */

/** Jobs are held ahead once the node's slowest recent job took at most this long. */
const START_MS = 50;
/**
 * …and stay held ahead while the slowest recent job took at most this long:
 * a held job's time includes its wait behind the one running before it, so
 * a job of up to START_MS measures up to twice that while held ahead.
 */
const KEEP_MS = 2 * START_MS;
/** Each job lets the node's slowest recent time fall by this factor towards the job's own, so one slow job stops the pull-ahead for some tens of jobs. */
const DECAY = 0.9;

/** What it adjusts: BullMQ's `Worker`, whose concurrency may change while it runs. */
export interface Concurrent {
  concurrency: number;
}

export class PullAhead {
  readonly #worker: Concurrent;
  readonly #workers: number;
  /** The slowest recent job (ms), decaying; Infinity before the first: nothing is held behind a job of unknown length. */
  #slowestMs = Number.POSITIVE_INFINITY;
  #ahead = false;
  /** The pool had no room for a job: it limits its queue, and a job held ahead may not fit. */
  #stopped = false;

  /** Sets `worker`'s concurrency to `workers` (the pool's), until short jobs have been seen. */
  constructor(worker: Concurrent, workers: number) {
    this.#worker = worker;
    this.#workers = workers;
    worker.concurrency = workers;
  }

  /** A job took `ms` on this node, from its start here to its end, waiting in the pool included. */
  jobSettled(ms: number): void {
    if (this.#stopped) return;
    this.#slowestMs = this.#slowestMs === Number.POSITIVE_INFINITY ? ms : Math.max(ms, this.#slowestMs * DECAY);
    const ahead = this.#slowestMs <= (this.#ahead ? KEEP_MS : START_MS);
    if (ahead === this.#ahead) return;
    this.#ahead = ahead;
    this.#worker.concurrency = ahead ? 2 * this.#workers : this.#workers;
  }

  /** Stops pulling ahead for good: a job found the pool's queue full. */
  stop(): void {
    this.#stopped = true;
    this.#ahead = false;
    this.#worker.concurrency = this.#workers;
  }
}
