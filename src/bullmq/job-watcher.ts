/**
 * The producer's view of its jobs: one `QueueEvents` reader for the queue's
 * event stream routes `active`, `progress`, `completed`, `failed` and
 * `removed` events to the job's waiter. Events are read from the stream
 * position at start-up onwards, and after a lost connection from where the
 * reader stopped, so nothing is missed while Redis keeps its data. As a
 * safety net (a stream trimmed past unread events, a Redis that lost its
 * data), a job that sent no event for `checkInterval` ms is looked up in
 * Redis: found finished, it settles from the job itself; gone, it fails
 * with ERR_JOB_LOST.
 */
import { Job, QueueEvents, type Queue, type QueueEventsOptions } from 'bullmq';
import { JobLostError } from './errors.js';

/** What the watcher tells the producer about one job. */
export interface JobWaiter {
  /** The job started on a node (its `queueTimeout` no longer applies). */
  started(): void;
  progress(data: unknown): void;
  completed(returnValue: unknown): void;
  failed(failedReason: string, remoteStack: string | undefined): void;
  /** Someone removed the job from Redis (the waiter itself, withdrawing it, or someone else). */
  removed(): void;
  lost(error: Error): void;
}

interface Watched {
  readonly waiter: JobWaiter;
  lastNews: number;
  /** Redis has the job (its `add` resolved): only then can a look-up tell it is gone. */
  added: boolean;
}

/** Jobs looked up per check, the longest-silent first, so that a huge backlog costs Redis little. */
const CHECKS_PER_ROUND = 500;

export class JobWatcher {
  readonly #queue: Queue;
  readonly #events: QueueEvents;
  readonly #watched = new Map<string, Watched>();
  readonly #checkInterval: number;
  readonly #timer: NodeJS.Timeout;
  #checking = false;

  private constructor(queue: Queue, events: QueueEvents, checkInterval: number) {
    this.#queue = queue;
    this.#events = events;
    this.#checkInterval = checkInterval;
    events.on('error', () => undefined);
    events.on('active', ({ jobId }) => {
      this.#news(jobId)?.started();
    });
    events.on('progress', ({ jobId, data }) => {
      this.#news(jobId)?.progress(data);
    });
    events.on('completed', ({ jobId, returnvalue }) => {
      this.#finish(jobId)?.completed(returnvalue);
    });
    events.on('failed', ({ jobId, failedReason }) => {
      const waiter = this.#finish(jobId);
      if (waiter !== undefined) void this.#fail(jobId, waiter, failedReason);
    });
    events.on('removed', ({ jobId }) => {
      this.#watched.get(jobId)?.waiter.removed();
    });
    this.#timer = setInterval(() => void this.#check(), Math.min(checkInterval, 1_000));
    this.#timer.unref();
  }

  /** Starts reading the queue's events from the stream's current end. */
  static async start(queue: Queue, options: QueueEventsOptions, checkInterval: number): Promise<JobWatcher> {
    const client = await queue.backend.client;
    const [last] = (await client.runCommand('xrevrange', [queue.keys.events, '+', '-', 'COUNT', '1'])) as [string, unknown][];
    const events = new QueueEvents(queue.name, { ...options, lastEventId: last?.[0] ?? '0' });
    await events.waitUntilReady();
    return new JobWatcher(queue, events, checkInterval);
  }

  /** Routes the job's events to `waiter`; call it before adding the job, so that no event can come first. */
  watch(jobId: string, waiter: JobWaiter): void {
    this.#watched.set(jobId, { waiter, lastNews: Date.now(), added: false });
  }

  /** The job is in Redis: from now on, a look-up that does not find it means it is lost. */
  added(jobId: string): void {
    const watched = this.#watched.get(jobId);
    if (watched !== undefined) watched.added = true;
  }

  forget(jobId: string): void {
    this.#watched.delete(jobId);
  }

  get size(): number {
    return this.#watched.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#events.close();
  }

  #news(jobId: string): JobWaiter | undefined {
    const watched = this.#watched.get(jobId);
    if (watched === undefined) return undefined;
    watched.lastNews = Date.now();
    // Longest-silent first: a job with news goes to the end of the map's order.
    this.#watched.delete(jobId);
    this.#watched.set(jobId, watched);
    return watched.waiter;
  }

  #finish(jobId: string): JobWaiter | undefined {
    const watched = this.#watched.get(jobId);
    this.#watched.delete(jobId);
    return watched?.waiter;
  }

  async #fail(jobId: string, waiter: JobWaiter, failedReason: string): Promise<void> {
    // The stream carries the reason only; the job keeps the remote stack, unless it is already removed.
    const job = await Job.fromId(this.#queue, jobId).catch(() => undefined);
    waiter.failed(failedReason, (job?.stacktrace ?? []).at(-1));
  }

  /** Looks up the jobs that sent no event for `checkInterval` ms. */
  async #check(): Promise<void> {
    if (this.#checking) return;
    this.#checking = true;
    try {
      const silentSince = Date.now() - this.#checkInterval;
      const silent: string[] = [];
      for (const [jobId, watched] of this.#watched) {
        if (watched.lastNews > silentSince || silent.length === CHECKS_PER_ROUND) break;
        if (watched.added) silent.push(jobId);
      }
      await Promise.all(silent.map((jobId) => this.#lookUp(jobId)));
    } catch {
      // Redis is away: the next round tries again.
    } finally {
      this.#checking = false;
    }
  }

  async #lookUp(jobId: string): Promise<void> {
    const state = await this.#queue.getJobState(jobId);
    if (!this.#watched.has(jobId)) return;
    if (state === 'completed' || state === 'failed') {
      const job = await Job.fromId(this.#queue, jobId);
      const waiter = this.#finish(jobId);
      if (waiter === undefined) return;
      if (job === undefined) waiter.lost(new JobLostError(jobId));
      else if (state === 'completed') waiter.completed(job.returnvalue);
      else waiter.failed(job.failedReason, (job.stacktrace ?? []).at(-1));
    } else if (state === 'unknown') {
      this.#finish(jobId)?.lost(new JobLostError(jobId));
    } else {
      if (state === 'active') this.#watched.get(jobId)?.waiter.started();
      this.#news(jobId);
    }
  }
}
