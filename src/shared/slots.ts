/**
 * Where each structure keeps its state in shared memory: indexes into an
 * `Int32Array` over the structure's `SharedArrayBuffer`. Both sides of the
 * pool boundary read the same memory through these numbers, so they are
 * constants in one place.
 */

/** A lock word (Mutex, and the writer word of a read-write lock): holder tag and flag bits, see {@link LOCK_BITS}. */
export const MUTEX = {
  LOCK: 0,
  WORDS: 1,
} as const;

/**
 * The bits of a lock word, modelled on Linux's robust futexes:
 *
 *   bit 31  30        29          28 … 0
 *       0   WAITERS   OWNER_DIED  holder's thread tag (threadId + 1), 0 when free
 *
 * One word holds both "locked" and "by whom", so there is no moment where
 * the lock is taken but its holder not yet recorded: a thread killed at any
 * instruction leaves either no trace or its own tag.
 */
export const LOCK_BITS = {
  TAG_MASK: 0x1fff_ffff,
  OWNER_DIED: 0x2000_0000,
  WAITERS: 0x4000_0000,
} as const;

/**
 * A permit table (Semaphore, and the readers of a read-write lock), from a
 * base index: counters, then one slot per permit holding its holder's tag.
 */
export const PERMITS = {
  /** Bumped on every release, so a waiter can sleep until one happens. */
  RELEASES: 0,
  /** Threads sleeping on RELEASES; a release notifies only when there are some. */
  WAITERS: 1,
  /** Permits released from dead holders whose owner-died flag is not yet handed to a new holder. */
  DIED_PENDING: 2,
  /** The number of slots. */
  COUNT: 3,
  /** The first slot. */
  SLOTS: 4,
} as const;

/** A read-write lock: a lock word for the writer, then a permit table for the readers. */
export const READ_WRITE_LOCK = {
  WRITER: 0,
  READERS: 1,
} as const;

/** A counter or a flag: a change sequence to sleep on, the number of sleepers, then the value (8-byte aligned). */
export const WATCHED = {
  CHANGES: 0,
  WAITERS: 1,
  STATE: 2,
  VALUE_BYTE_OFFSET: 8,
} as const;

/**
 * A cell: a record written by one thread at a time into the spare of two
 * copies, read without locks.
 */
export const CELL = {
  /** Writes completed; copy `VERSION & 1` holds the latest. */
  VERSION: 0,
  /** Writes started; a write into copy `n & 1` starts by setting it to `n`. */
  WRITE_SEQ: 1,
  /** The tag of the thread writing now, 0 when none. */
  WRITER: 2,
  /** Threads sleeping on VERSION; a write notifies only when there are some. */
  WAITERS: 3,
  /** Two copies of the record follow, each a whole number of words. */
  DATA_BYTE_OFFSET: 16,
} as const;

/**
 * A channel's ring: the writer's and the reader's words on separate cache
 * lines (64 bytes, 16 words apart), so neither end invalidates the other's
 * line with every step of its own index.
 */
export const RING = {
  /** Units written so far (wrapping at 2^32). Written by the writer only. */
  WRITE_INDEX: 0,
  /** Set by a reader about to sleep; the writer clears it and wakes the reader. */
  READER_SLEEPING: 1,
  /** What a sleeping reader waits on: bumped to wake it. */
  READER_WAKE: 2,
  /** Units read so far (wrapping at 2^32). Written by the reader only. */
  READ_INDEX: 16,
  /** Set by a writer about to sleep to the room (units) it waits for; the reader wakes it once that much is free. */
  WRITER_SLEEPING: 17,
  WRITER_WAKE: 18,
  /** Bits of {@link RING_STATE}. */
  STATE: 32,
  /** The tags of the threads holding the writer's and the reader's ends, 0 when none. */
  WRITER_TAG: 33,
  READER_TAG: 34,
  /** The thread id of an end that died, for the error of the other end. */
  DEAD_THREAD: 35,
  /** Units the ring holds (a power of two), and bytes per unit (1 for bytes, the record size for records). */
  CAPACITY: 36,
  UNIT_BYTES: 37,
  DATA_BYTE_OFFSET: 192,
} as const;

export const RING_STATE = {
  WRITER_CLOSED: 1,
  READER_CLOSED: 2,
  WRITER_DIED: 4,
  READER_DIED: 8,
} as const;
