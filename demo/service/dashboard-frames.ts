import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type { RequestRecorder, RequestWindow } from './request-recorder.js';
import type { ExecutionMode, TaskRunner } from './task-runner.js';

/** One update of the dashboard, sent as a server-sent event. */
export interface DashboardFrame {
  /** `Date.now()` when the frame was built. */
  readonly at: number;
  readonly mode: ExecutionMode;
  /** Null when the service runs inline, without a pool. */
  readonly pool: {
    readonly state: string;
    readonly queued: number;
    readonly maxQueue: number;
    readonly running: number;
    readonly workers: { readonly total: number; readonly busy: number; readonly idle: number; readonly starting: number };
    readonly completed: number;
    readonly failed: number;
    readonly rejectedQueueFull: number;
    readonly utilization: number;
    readonly tasksPerSecond: number;
    readonly runTime: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly waitTime: { readonly p50: number; readonly p95: number; readonly p99: number };
    readonly perWorker: readonly {
      readonly threadId: number;
      readonly state: string;
      readonly inFlight: number;
      readonly tasksCompleted: number;
      readonly errors: number;
      readonly averageRunTimeMs: number;
    }[];
  } | null;
  readonly requests: RequestWindow;
  /** Event-loop delay p99 over the frame's window, in ms (1 ms timer). */
  readonly eventLoopDelayP99Ms: number;
}

/** Builds dashboard frames; each covers the time since the previous one. */
export class DashboardFrames {
  readonly #runner: TaskRunner;
  readonly #recorder: RequestRecorder;
  readonly #maxQueue: number;
  #eventLoopDelay: IntervalHistogram | undefined;
  #lastCompleted = 0;
  #lastFrameAt = performance.now();

  constructor(runner: TaskRunner, recorder: RequestRecorder, maxQueue: number) {
    this.#runner = runner;
    this.#recorder = recorder;
    this.#maxQueue = maxQueue;
  }

  /** Starts measuring the event loop; frames are only wanted while someone watches. */
  start(): void {
    this.#eventLoopDelay ??= monitorEventLoopDelay({ resolution: 1 });
    this.#eventLoopDelay.enable();
    this.#lastCompleted = this.#runner.stats()?.completed ?? 0;
    this.#lastFrameAt = performance.now();
    this.#recorder.takeWindow();
  }

  stop(): void {
    this.#eventLoopDelay?.disable();
  }

  next(): DashboardFrame {
    const now = performance.now();
    const seconds = Math.max(0.001, (now - this.#lastFrameAt) / 1000);
    this.#lastFrameAt = now;
    const delay = this.#eventLoopDelay;
    const eventLoopDelayP99Ms = delay === undefined || delay.count === 0 ? 0 : Math.round(delay.percentile(99) / 1e5) / 10;
    delay?.reset();
    const stats = this.#runner.stats();
    let pool: DashboardFrame['pool'] = null;
    if (stats !== undefined) {
      const tasksPerSecond = Math.round(((stats.completed - this.#lastCompleted) / seconds) * 10) / 10;
      this.#lastCompleted = stats.completed;
      const percentiles = (summary: { p50: number; p95: number; p99: number }) => ({ p50: summary.p50, p95: summary.p95, p99: summary.p99 });
      pool = {
        state: stats.state,
        queued: stats.queued,
        maxQueue: this.#maxQueue,
        running: stats.running,
        workers: { ...stats.workers },
        completed: stats.completed,
        failed: stats.failed,
        rejectedQueueFull: stats.rejectedQueueFull,
        utilization: stats.utilization,
        tasksPerSecond,
        runTime: percentiles(stats.runTime),
        waitTime: percentiles(stats.waitTime),
        perWorker: stats.perWorker.map((worker) => ({
          threadId: worker.threadId,
          state: worker.state,
          inFlight: worker.inFlight,
          tasksCompleted: worker.tasksCompleted,
          errors: worker.errors,
          averageRunTimeMs: worker.averageRunTimeMs,
        })),
      };
    }
    return { at: Date.now(), mode: this.#runner.mode, pool, requests: this.#recorder.takeWindow(), eventLoopDelayP99Ms };
  }
}
