import type { Queueable } from './queueable.js';

/**
 * A growable FIFO of (entry, token) slots on a power-of-two circular array,
 * like RingBuffer; a slot is two elements, the entry then its token.
 */
export class SlotFifo<T extends Queueable> {
  #slots: unknown[];
  #head = 0;
  #length = 0;
  #mask: number;

  constructor(capacity: number) {
    this.#slots = new Array<unknown>(capacity * 2);
    this.#mask = capacity - 1;
  }

  get length(): number {
    return this.#length;
  }

  push(item: T, token: number): void {
    if (this.#length > this.#mask) this.#grow();
    const index = ((this.#head + this.#length) & this.#mask) * 2;
    this.#slots[index] = item;
    this.#slots[index + 1] = token;
    this.#length++;
  }

  unshift(item: T, token: number): void {
    if (this.#length > this.#mask) this.#grow();
    this.#head = (this.#head - 1) & this.#mask;
    this.#slots[this.#head * 2] = item;
    this.#slots[this.#head * 2 + 1] = token;
    this.#length++;
  }

  headItem(): T | undefined {
    return this.#length === 0 ? undefined : (this.#slots[this.#head * 2] as T);
  }

  /** The head slot's token; 0 (no entry's token) when empty. */
  headToken(): number {
    return this.#length === 0 ? 0 : (this.#slots[this.#head * 2 + 1] as number);
  }

  dropHead(): void {
    this.#slots[this.#head * 2] = undefined;
    this.#head = (this.#head + 1) & this.#mask;
    this.#length--;
  }

  /** Calls `visit` with each live slot, oldest first. */
  forEachLive(visit: (item: T, token: number) => void): void {
    for (let index = 0; index < this.#length; index++) {
      const slot = ((this.#head + index) & this.#mask) * 2;
      const item = this.#slots[slot] as T;
      const token = this.#slots[slot + 1] as number;
      if (item.queueToken === token) visit(item, token);
    }
  }

  /** Empties the FIFO; it keeps its capacity, as a RingBuffer does, so the next burst of the same size allocates nothing. */
  clear(): void {
    while (this.#length > 0) this.dropHead();
    this.#head = 0;
  }

  #grow(): void {
    const capacity = this.#mask + 1;
    const slots = new Array<unknown>(capacity * 4);
    for (let index = 0; index < this.#length; index++) {
      const from = ((this.#head + index) & this.#mask) * 2;
      slots[index * 2] = this.#slots[from];
      slots[index * 2 + 1] = this.#slots[from + 1];
    }
    this.#slots = slots;
    this.#head = 0;
    this.#mask = capacity * 2 - 1;
  }
}
