import { RingBuffer } from './ring-buffer.js';

export interface Queueable {
  readonly priority: number;
  readonly enqueuedAt: number;
  /** Set when the entry left the queue some other way (abort, queue timeout): skipped on dequeue. */
  removed: boolean;
}

/** After this many dequeues in a row from higher levels, the oldest waiting entry of any level goes next. */
const AGING_PERIOD = 16;

/**
 * Priority queue of FIFO levels: higher priority first, FIFO within a
 * priority. Every AGING_PERIOD-th dequeue serves the level whose head has
 * waited longest, so low priorities cannot starve under sustained load.
 * Removal is O(1): entries are marked, counted out, and skipped later.
 */
export class TaskQueue<T extends Queueable> {
  /** Levels sorted by priority, highest first; there are few distinct priorities in practice. */
  readonly #levels: { readonly priority: number; readonly items: RingBuffer<T> }[] = [];
  #size = 0;
  #sinceAging = 0;

  /** Live entries (removed ones not counted). */
  get size(): number {
    return this.#size;
  }

  push(item: T): void {
    this.#level(item.priority).push(item);
    this.#size++;
  }

  /** Puts an entry back at the front of its level (a retry, or a task a dead worker never started). */
  pushFront(item: T): void {
    this.#level(item.priority).unshift(item);
    this.#size++;
  }

  /** Marks an entry as gone; its slot is reclaimed when dequeued. */
  remove(item: T): void {
    if (item.removed) return;
    item.removed = true;
    this.#size--;
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    let level = this.#firstNonEmpty();
    if (++this.#sinceAging >= AGING_PERIOD) {
      this.#sinceAging = 0;
      level = this.#oldestHead() ?? level;
    }
    const item = level?.shift();
    if (item !== undefined) this.#size--;
    return item;
  }

  /** Drops removed entries at the head of each level; returns the first level with a live head. */
  #firstNonEmpty(): RingBuffer<T> | undefined {
    for (const level of this.#levels) {
      if (this.#skipRemoved(level.items)) return level.items;
    }
    return undefined;
  }

  #oldestHead(): RingBuffer<T> | undefined {
    let oldest: RingBuffer<T> | undefined;
    let oldestTime = Infinity;
    for (const level of this.#levels) {
      if (!this.#skipRemoved(level.items)) continue;
      const head = level.items.peek();
      if (head !== undefined && head.enqueuedAt < oldestTime) {
        oldestTime = head.enqueuedAt;
        oldest = level.items;
      }
    }
    return oldest;
  }

  #skipRemoved(items: RingBuffer<T>): boolean {
    for (let head = items.peek(); head !== undefined; head = items.peek()) {
      if (!head.removed) return true;
      items.shift();
    }
    return false;
  }

  #level(priority: number): RingBuffer<T> {
    const levels = this.#levels;
    let index = 0;
    while (index < levels.length && (levels[index]?.priority ?? 0) > priority) index++;
    const found = levels[index];
    if (found?.priority === priority) return found.items;
    const items = new RingBuffer<T>();
    levels.splice(index, 0, { priority, items });
    return items;
  }

  /** Empties the queue, returning the live entries. */
  drain(): T[] {
    const live: T[] = [];
    for (const level of this.#levels) {
      for (let item = level.items.shift(); item !== undefined; item = level.items.shift()) {
        if (!item.removed) live.push(item);
      }
    }
    this.#size = 0;
    return live;
  }
}
