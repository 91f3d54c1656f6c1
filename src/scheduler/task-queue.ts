export interface Queueable {
  readonly priority: number;
  /** Set when the entry left the queue through `remove()` (abort, queue timeout); cleared when it is pushed again. */
  removed: boolean;
  /** Owned by the queue: the token of the entry's live slots, 0 while it is not queued. An entry is in one queue at a time. */
  queueToken: number;
}

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

/**
 * A growable FIFO of (entry, token) slots on a power-of-two circular array,
 * like RingBuffer; a slot is two elements, the entry then its token.
 */
class SlotFifo<T extends Queueable> {
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

/** Whether a slot (priority, token) is served before another: higher priority, then lower token. */
function goesBefore(priority: number, token: number, otherPriority: number, otherToken: number): boolean {
  return priority > otherPriority || (priority === otherPriority && token < otherToken);
}

/**
 * A 4-ary heap of (entry, priority, token) slots: highest priority on top,
 * lowest token first within a priority. Four children side by side and half
 * the depth of a binary heap mean fewer cache misses on a large heap; three
 * parallel arrays mean a comparison reads numbers, not entries all over memory.
 */
class SlotHeap<T extends Queueable> {
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
