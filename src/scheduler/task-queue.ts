import type { Queueable } from './queueable.js';
import { SlotFifo } from './slot-fifo.js';
import { SlotHeap } from './slot-heap.js';


/** After this many dequeues in a row by priority, the entry that has waited longest goes next. */
const AGING_PERIOD = 16;
const FIFO_CAPACITY = 16;
/** Stale slots tolerated beyond twice the live entries before the queue rebuilds itself from its live entries. */
const STALE_ALLOWANCE = 1_024;
/** Tokens stay small integers (V8 stores them unboxed): a rebuild renumbers the live entries before they get this far. */
const TOKEN_LIMIT = 2 ** 30 - 1;

/**
 * Priority queue: higher priority first, FIFO within a priority. Every
 * AGING_PERIOD-th dequeue serves the entry that has waited longest instead,
 * so low priorities cannot starve under sustained load.
 *
 * Every push takes an increasing token and every pushFront a decreasing
 * (negative) one, and entries are served by priority, then token. A slot
 * holds an entry and its token, and is live while the entry's `queueToken`
 * still equals it; slots of entries shifted, removed or pushed again go
 * stale and are skipped, and if they ever outnumber the live entries the
 * queue rebuilds itself from those. Three places hold slots:
 *
 *     fifo      one priority (the hot path)   [ a  c  e ]      O(1)
 *     heap      every other priority          (9,b) (5,d) …    O(log n)
 *     arrivals  every entry, by token         [ a  b  c  d  e ]
 *
 * The FIFO takes an entry whose priority is its own, or any entry when it is
 * empty (a pool with one priority never touches the heap). A dequeue takes
 * the better of the FIFO's head and the heap's top. The arrivals' live front
 * is the entry that has waited longest (one put back counting as oldest),
 * so ageing costs O(1) however many priorities there are. While the heap
 * has not been used since the queue was last empty, the FIFO holds every
 * entry and its head is the oldest: the arrivals are filled from the FIFO
 * only when the heap takes its first entry, so one priority pays for none.
 *
 * Costs, for n queued: push, pushFront and shift O(1) amortized in the
 * FIFO's priority and O(log n) in any other; remove O(1). Nothing is kept
 * for a priority once its entries are gone: an emptied queue holds no slot
 * (its two FIFOs keep their capacity, as a RingBuffer does) and starts over.
 */
export class TaskQueue<T extends Queueable> {
  #fifo = new SlotFifo<T>(FIFO_CAPACITY);
  #fifoPriority = 0;
  readonly #heap = new SlotHeap<T>();
  #arrivals = new SlotFifo<T>(FIFO_CAPACITY);
  /** Whether the arrivals are kept: from the heap's first entry until the queue is empty. */
  #arrivalsKept = false;
  #size = 0;
  #sinceAging = 0;
  #backToken = 0;
  #frontToken = 0;

  /** Live entries (removed ones not counted). */
  get size(): number {
    return this.#size;
  }

  /** Slots held, live and stale, in the FIFO, the heap and the arrivals: 0 whenever the queue is empty. */
  get slotCount(): number {
    return this.#fifo.length + this.#heap.length + this.#arrivals.length;
  }

  push(item: T): void {
    this.#admit(item);
    if (this.#backToken >= TOKEN_LIMIT) this.#rebuild();
    this.#place(item, ++this.#backToken, false);
  }

  /** Puts an entry back at the front of its priority (a retry, or a task a dead worker never started). */
  pushFront(item: T): void {
    this.#admit(item);
    if (this.#frontToken <= -TOKEN_LIMIT) this.#rebuild();
    this.#place(item, --this.#frontToken, true);
  }

  /** Takes an entry out of the queue at once (its slots go stale). Does nothing if it is not queued. */
  remove(item: T): void {
    const token = item.queueToken;
    if (token === 0) return;
    item.queueToken = 0;
    item.removed = true;
    if (--this.#size === 0) this.#reset();
    else if (this.#fifo.headToken() === token) this.#settleFifo();
    else if (this.#heap.topToken() === token) this.#heap.settle();
  }

  shift(): T | undefined {
    if (this.#size === 0) return undefined;
    if (++this.#sinceAging < AGING_PERIOD) return this.#takeHighest();
    this.#sinceAging = 0;
    return this.#takeOldest();
  }

  /** Empties the queue, returning the live entries, highest priority first. */
  drain(): T[] {
    const live: T[] = [];
    for (let item = this.#takeHighest(); item !== undefined; item = this.#takeHighest()) live.push(item);
    return live;
  }

  /** Counts a new entry in (one pushed while queued moves) and rebuilds the queue when stale slots pile up. */
  #admit(item: T): void {
    if (item.queueToken !== 0) this.remove(item);
    this.#size++;
    item.removed = false;
    const limit = 2 * this.#size + STALE_ALLOWANCE;
    if (this.#fifo.length > limit || this.#heap.length > limit || this.#arrivals.length > limit) this.#rebuild();
  }

  #place(item: T, token: number, front: boolean): void {
    item.queueToken = token;
    const priority = item.priority;
    const fifo = this.#fifo;
    if (priority === this.#fifoPriority || fifo.length === 0) {
      this.#fifoPriority = priority;
      if (front) fifo.unshift(item, token);
      else fifo.push(item, token);
    } else {
      if (!this.#arrivalsKept) this.#keepArrivals();
      this.#heap.push(item, priority, token);
    }
    if (!this.#arrivalsKept) return;
    if (front) this.#arrivals.unshift(item, token);
    else this.#arrivals.push(item, token);
  }

  /** Starts the arrivals from the FIFO, which holds every live entry until then, in token order. */
  #keepArrivals(): void {
    this.#arrivalsKept = true;
    this.#fifo.forEachLive((item, token) => {
      this.#arrivals.push(item, token);
    });
  }

  /** The FIFO's head or the heap's top, whichever goes first; both are live. */
  #takeHighest(): T | undefined {
    const fifo = this.#fifo;
    const heap = this.#heap;
    const fromHeap = heap.topItem();
    if (fromHeap !== undefined) {
      const priority = heap.topPriority();
      if (fifo.length === 0 || priority > this.#fifoPriority || (priority === this.#fifoPriority && heap.topToken() < fifo.headToken())) {
        heap.pop();
        heap.settle();
        this.#taken(fromHeap);
        return fromHeap;
      }
    }
    const fromFifo = fifo.headItem();
    if (fromFifo === undefined) return undefined;
    fifo.dropHead();
    this.#settleFifo();
    this.#taken(fromFifo);
    return fromFifo;
  }

  /**
   * Serves the arrivals' live front: the live entry with the lowest token,
   * so the FIFO's head if it is in the FIFO. In the heap it may sit anywhere:
   * its slot there goes stale, and goes when it reaches the top.
   */
  #takeOldest(): T | undefined {
    if (!this.#arrivalsKept) return this.#takeHighest();
    const arrivals = this.#arrivals;
    for (let item = arrivals.headItem(); item !== undefined; item = arrivals.headItem()) {
      const token = arrivals.headToken();
      arrivals.dropHead();
      if (item.queueToken !== token) continue;
      if (this.#fifo.headToken() === token) {
        this.#fifo.dropHead();
        this.#settleFifo();
      } else {
        item.queueToken = 0;
        this.#heap.settle();
      }
      this.#taken(item);
      return item;
    }
    return undefined;
  }

  #taken(item: T): void {
    item.queueToken = 0;
    if (--this.#size === 0) this.#reset();
  }

  /** Drops stale slots at the FIFO's head, so its head is live or it is empty. */
  #settleFifo(): void {
    const fifo = this.#fifo;
    while (fifo.length > 0 && fifo.headItem()?.queueToken !== fifo.headToken()) fifo.dropHead();
  }

  /** Nothing is live: every slot left is stale and goes, and the tokens start again. */
  #reset(): void {
    this.#fifo.clear();
    this.#arrivals.clear();
    this.#arrivalsKept = false;
    this.#heap.clear();
    this.#backToken = 0;
    this.#frontToken = 0;
    this.#sinceAging = 0;
  }

  /** Rebuilds the FIFO, the heap and the arrivals from the live entries, renumbering their tokens in the same order. */
  #rebuild(): void {
    const old = this.#arrivalsKept ? this.#arrivals : this.#fifo;
    this.#arrivals = new SlotFifo<T>(FIFO_CAPACITY);
    this.#arrivalsKept = false;
    this.#fifo = new SlotFifo<T>(FIFO_CAPACITY);
    this.#heap.clear();
    this.#backToken = 0;
    this.#frontToken = 0;
    old.forEachLive((item) => {
      this.#place(item, ++this.#backToken, false);
    });
  }
}

export type { Queueable };
