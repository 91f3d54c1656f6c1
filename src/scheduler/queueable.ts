/** What the task queue needs of its entries (the scheduler's TaskRecord is one). */
export interface Queueable {
  readonly priority: number;
  /** Set when the entry left the queue through `remove()` (abort, queue timeout); cleared when it is pushed again. */
  removed: boolean;
  /** Owned by the queue: the token of the entry's live slots, 0 while it is not queued. An entry is in one queue at a time. */
  queueToken: number;
}
