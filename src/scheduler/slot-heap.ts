import type { Queueable } from './queueable.js';

/** Whether a slot (priority, token) is served before another: higher priority, then lower token. */
export function goesBefore(priority: number, token: number, otherPriority: number, otherToken: number): boolean {
  return priority > otherPriority || (priority === otherPriority && token < otherToken);
}


/**
 * A 4-ary heap of (entry, priority, token) slots: highest priority on top,
 * lowest token first within a priority. Four children side by side and half
 * the depth of a binary heap mean fewer cache misses on a large heap; three
 * parallel arrays mean a comparison reads numbers, not entries all over memory.
 */
export class SlotHeap<T extends Queueable> {
  readonly #items: T[] = [];
  readonly #priorities: number[] = [];
  readonly #tokens: number[] = [];

  get length(): number {
    return this.#items.length;
  }

  topItem(): T | undefined {
    return this.#items[0];
  }

  topPriority(): number {
    return this.#priorities[0] ?? 0;
  }

  /** The top slot's token; 0 (no entry's token) when empty. */
  topToken(): number {
    return this.#tokens[0] ?? 0;
  }

  push(item: T, priority: number, token: number): void {
    const items = this.#items;
    const priorities = this.#priorities;
    const tokens = this.#tokens;
    let index = items.length;
    while (index > 0) {
      const parent = (index - 1) >> 2;
      const parentPriority = priorities[parent] ?? 0;
      const parentToken = tokens[parent] ?? 0;
      if (!goesBefore(priority, token, parentPriority, parentToken)) break;
      this.#set(index, items[parent] ?? item, parentPriority, parentToken);
      index = parent;
    }
    this.#set(index, item, priority, token);
  }

  pop(): void {
    const items = this.#items;
    const priorities = this.#priorities;
    const tokens = this.#tokens;
    const item = items.pop();
    const priority = priorities.pop() ?? 0;
    const token = tokens.pop() ?? 0;
    const length = items.length;
    if (item === undefined || length === 0) return;
    let index = 0;
    for (;;) {
      const first = 4 * index + 1;
      if (first >= length) break;
      let best = first;
      let bestPriority = priorities[first] ?? 0;
      let bestToken = tokens[first] ?? 0;
      const end = Math.min(first + 4, length);
      for (let child = first + 1; child < end; child++) {
        const childPriority = priorities[child] ?? 0;
        const childToken = tokens[child] ?? 0;
        if (goesBefore(childPriority, childToken, bestPriority, bestToken)) {
          best = child;
          bestPriority = childPriority;
          bestToken = childToken;
        }
      }
      if (!goesBefore(bestPriority, bestToken, priority, token)) break;
      this.#set(index, items[best] ?? item, bestPriority, bestToken);
      index = best;
    }
    this.#set(index, item, priority, token);
  }

  /** Pops stale slots off the top, so the top is live or the heap is empty. */
  settle(): void {
    for (let item = this.topItem(); item !== undefined && item.queueToken !== this.topToken(); item = this.topItem()) this.pop();
  }

  clear(): void {
    if (this.#items.length === 0) return;
    this.#items.length = 0;
    this.#priorities.length = 0;
    this.#tokens.length = 0;
  }

  #set(index: number, item: T, priority: number, token: number): void {
    this.#items[index] = item;
    this.#priorities[index] = priority;
    this.#tokens[index] = token;
  }
}
