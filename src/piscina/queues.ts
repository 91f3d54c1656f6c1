import type { queueOptionsSymbol } from './symbols.js';

/** What a task queue holds: at least its queue options (`task[Piscina.queueOptionsSymbol]`). */
export interface Task {
  readonly [queueOptionsSymbol]: object | null;
}

/** A queued task as a custom `taskQueue` sees it. */
export interface PiscinaTask extends Task {
  readonly taskId: number;
  readonly filename: string;
  readonly name: string;
  readonly created: number;
  readonly isAbortable: boolean;
}

/** piscina's `taskQueue` option: any object with these members. */
export interface TaskQueue {
  readonly size: number;
  shift(): Task | null;
  remove(task: Task): void;
  push(task: Task): void;
  unshift?(task: Task): void;
}

export function isTaskQueue(value: unknown): value is TaskQueue {
  if (typeof value !== 'object' || value === null) return false;
  const queue = value as Record<string, unknown>;
  return 'size' in queue && typeof queue.shift === 'function' && typeof queue.remove === 'function' && typeof queue.push === 'function';
}

/** A plain array queue (piscina's default). */
export class ArrayTaskQueue implements TaskQueue {
  tasks: Task[] = [];

  get size(): number {
    return this.tasks.length;
  }

  shift(): Task | null {
    return this.tasks.shift() ?? null;
  }

  push(task: Task): void {
    this.tasks.push(task);
  }

  unshift(task: Task): void {
    this.tasks.unshift(task);
  }

  remove(task: Task): void {
    const index = this.tasks.indexOf(task);
    if (index >= 0) this.tasks.splice(index, 1);
  }
}

/**
 * A queue with O(1) push, shift and unshift at any size: a ring buffer that
 * doubles when full (piscina's FixedQueue chains fixed rings; the behaviour
 * is the same). `remove()` is O(n), and removing a task that is not queued
 * does nothing.
 *
 *   head (next shift) → [ a b c . . . . ] ← tail (next push), wrapping around
 */
export class FixedQueue implements TaskQueue {
  #items: (Task | undefined)[] = new Array<Task | undefined>(2048);
  #head = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  isEmpty(): boolean {
    return this.#size === 0;
  }

  push(task: Task): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#size) % this.#items.length] = task;
    this.#size++;
  }

  unshift(task: Task): void {
    if (this.#size === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = task;
    this.#size++;
  }

  shift(): Task | null {
    if (this.#size === 0) return null;
    const task = this.#items[this.#head] ?? null;
    this.#items[this.#head] = undefined;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#size--;
    return task;
  }

  remove(task: Task): void {
    const capacity = this.#items.length;
    for (let offset = 0; offset < this.#size; offset++) {
      if (this.#items[(this.#head + offset) % capacity] !== task) continue;
      // Close the gap: everything behind it moves one place forward.
      for (let next = offset + 1; next < this.#size; next++) {
        this.#items[(this.#head + next - 1) % capacity] = this.#items[(this.#head + next) % capacity];
      }
      this.#items[(this.#head + this.#size - 1) % capacity] = undefined;
      this.#size--;
      return;
    }
  }

  #grow(): void {
    const items = new Array<Task | undefined>(this.#items.length * 2);
    for (let offset = 0; offset < this.#size; offset++) items[offset] = this.#items[(this.#head + offset) % this.#items.length];
    this.#items = items;
    this.#head = 0;
  }
}
