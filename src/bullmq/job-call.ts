/**
 * One `queuePool.run()` call: adds its job, hears about it from the
 * watcher, and settles exactly once. Giving up on the job (an aborted
 * signal, an expired `queueTimeout`) removes it while it waits, or asks the
 * node that runs it to cancel it.
 */
import type { JobsOptions, Queue } from 'bullmq';
import { QueueTimeoutError, ResultNotCloneableError, TaskAbortedError } from '../index.js';
import type { CancelPublisher } from './cancel-channel.js';
import { decodeValue } from './codec.js';
import { JobLostError } from './errors.js';
import { rebuildFailure } from './failure.js';
import type { JobWaiter, JobWatcher } from './job-watcher.js';
import { EVENT_KEY } from './progress-relay.js';
import type { RunSettings } from './queue-pool-options.js';

/** How a call ended, for the QueuePool's counters. */
export type CallOutcome = 'completed' | 'failed' | 'aborted';

export interface CallContext {
  readonly queue: Queue;
  readonly watcher: JobWatcher;
  readonly cancels: CancelPublisher;
  readonly settled: (outcome: CallOutcome, error: (Error & { code?: unknown }) | undefined) => void;
  readonly reportCallbackError: (error: unknown) => void;
}

/** States in which a job has not started, so removing it withdraws it. */
const NOT_STARTED = new Set(['waiting', 'prioritized', 'delayed', 'waiting-children']);

export class JobCall implements JobWaiter {
  readonly #context: CallContext;
  readonly #jobId: string;
  readonly #settings: RunSettings;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: Error) => void;
  #name = '';
  #added: Promise<unknown> | undefined;
  #queueTimer: NodeJS.Timeout | undefined;
  /** This call is removing its own job: the `removed` event that follows is expected. */
  #withdrawing = false;
  #settled = false;

  constructor(context: CallContext, jobId: string, settings: RunSettings, resolve: (value: unknown) => void, reject: (error: Error) => void) {
    this.#context = context;
    this.#jobId = jobId;
    this.#settings = settings;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  /** Adds the job; the watcher hears of it from now on. */
  submit(name: string, data: unknown, options: JobsOptions): void {
    const { watcher, queue } = this.#context;
    this.#name = name;
    if (this.#settings.signal?.aborted === true) {
      this.#settle('aborted', new TaskAbortedError(this.#settings.signal.reason));
      return;
    }
    watcher.watch(this.#jobId, this);
    this.#settings.signal?.addEventListener('abort', this.#onAbort, { once: true });
    const queueTimeout = this.#settings.queueTimeout;
    if (queueTimeout !== undefined) this.#queueTimer = setTimeout(() => void this.#onQueueTimeout(queueTimeout), queueTimeout);
    this.#added = queue.add(name, data, options).then(
      () => {
        watcher.added(this.#jobId);
      },
      (error: unknown) => {
        this.#settle('failed', error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  started(): void {
    clearTimeout(this.#queueTimer);
  }

  progress(data: unknown): void {
    try {
      const envelope = data as Record<string, unknown> | null;
      if (typeof envelope === 'object' && envelope !== null && typeof envelope[EVENT_KEY] === 'string') {
        this.#settings.onEvent?.(envelope[EVENT_KEY], decodeValue(envelope.data));
      } else {
        this.#settings.onProgress?.(decodeValue(data));
      }
    } catch (error) {
      this.#context.reportCallbackError(error);
    }
  }

  completed(returnValue: unknown): void {
    let result: unknown;
    try {
      result = decodeValue(returnValue);
    } catch (error) {
      this.#settle('failed', new ResultNotCloneableError(this.#name, error));
      return;
    }
    this.#settle('completed', undefined, result);
  }

  failed(failedReason: string, remoteStack: string | undefined): void {
    const error = rebuildFailure(this.#jobId, failedReason, remoteStack);
    this.#settle((error as { code?: unknown }).code === 'ERR_TASK_ABORTED' ? 'aborted' : 'failed', error);
  }

  removed(): void {
    if (!this.#withdrawing) this.#settle('failed', new JobLostError(this.#jobId));
  }

  lost(error: Error): void {
    this.#settle('failed', error);
  }

  readonly #onAbort = (): void => {
    const reason: unknown = this.#settings.signal?.reason;
    if (!this.#settle('aborted', new TaskAbortedError(reason))) return;
    const why = reason instanceof Error ? reason.message : String(reason);
    void this.#withdraw(`cancelled by its producer: ${why}`, false);
  };

  async #onQueueTimeout(queueTimeout: number): Promise<void> {
    if (this.#settled) return;
    if (await this.#withdraw('', true)) this.#settle('failed', new QueueTimeoutError(queueTimeout));
  }

  /**
   * Removes the job if it has not started; otherwise (unless `onlyIfWaiting`)
   * publishes its cancellation for the node running it. Resolves to whether
   * the job was removed.
   */
  async #withdraw(reason: string, onlyIfWaiting: boolean): Promise<boolean> {
    const { queue, cancels } = this.#context;
    try {
      await this.#added;
      const state = await queue.getJobState(this.#jobId);
      if (NOT_STARTED.has(state)) {
        this.#withdrawing = true;
        if ((await queue.remove(this.#jobId)) === 1) return true;
        this.#withdrawing = false;
      }
      if (!onlyIfWaiting && state !== 'completed' && state !== 'failed' && state !== 'unknown') await cancels.publish({ jobId: this.#jobId, reason });
    } catch (error) {
      this.#context.reportCallbackError(error);
    }
    return false;
  }

  /** Settles the call once; returns whether this was the first time. */
  #settle(outcome: CallOutcome, error: Error | undefined, value?: unknown): boolean {
    if (this.#settled) return false;
    this.#settled = true;
    clearTimeout(this.#queueTimer);
    this.#settings.signal?.removeEventListener('abort', this.#onAbort);
    this.#context.watcher.forget(this.#jobId);
    this.#context.settled(outcome, error);
    if (error === undefined) this.#resolve(value);
    else this.#reject(error);
    return true;
  }
}
