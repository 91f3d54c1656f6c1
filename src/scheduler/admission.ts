import { QueueFullError } from '../errors.js';
import type { EngineEvents } from '../events.js';
import type { StatsCollector } from '../stats/collector.js';
import type { Workforce } from '../workforce/workforce.js';
import type { TaskQueue } from './task-queue.js';
import type { TaskRecord } from './task.js';
import { Waiters } from './waiters.js';

/**
 * `maxQueue`: whether one more task may wait, the `backpressure` and `drain`
 * events (once per episode), and callers awaiting `onDrain()`.
 */
export class Admission {
  readonly #queue: TaskQueue<TaskRecord>;
  readonly #workforce: Workforce<TaskRecord>;
  readonly #maxQueue: number;
  readonly #events: EngineEvents;
  readonly #stats: StatsCollector;
  readonly #drainWaiters = new Waiters();
  #backpressure = false;

  constructor(queue: TaskQueue<TaskRecord>, workforce: Workforce<TaskRecord>, maxQueue: number, stats: StatsCollector, events: EngineEvents) {
    this.#queue = queue;
    this.#workforce = workforce;
    this.#maxQueue = maxQueue;
    this.#stats = stats;
    this.#events = events;
  }

  /**
   * Whether one more task may wait. Every worker that can take a task soon
   * stands for one more place: an idle one, one still starting, and one the
   * pool may still start (below `threads.max`). So with `maxQueue: 0` tasks
   * run while workers are (or can become) free, and are rejected, not
   * queued, once all the pool may have are busy.
   */
  hasRoom(): boolean {
    const queued = this.#queue.size;
    if (queued < this.#maxQueue) return true;
    return queued < this.#maxQueue + this.#workforce.freeSlots;
  }

  /** The error for a submission that found no room; the first of an episode emits `backpressure`. */
  refuse(): QueueFullError {
    this.#stats.rejectedQueueFull++;
    if (!this.#backpressure) {
      this.#backpressure = true;
      const queued = this.#queue.size;
      this.#events.emit('backpressure', { waiting: queued - this.#workforce.freeSlots, maxQueue: this.#maxQueue, queued });
    }
    return new QueueFullError(this.#maxQueue);
  }

  /** Releases `onDrain()` callers (and ends a back-pressure episode) once there is room. */
  checkDrain(): void {
    if (!this.hasRoom()) return;
    if (this.#backpressure) {
      this.#backpressure = false;
      this.#events.emit('drain');
    }
    this.#drainWaiters.releaseAll();
  }

  onDrain(): Promise<void> {
    return this.hasRoom() ? Promise.resolve() : this.#drainWaiters.wait();
  }
}
