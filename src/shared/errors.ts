/**
 * The errors of `spindle/shared`, each a class with a stable `code`. They
 * carry the brand of Spindle's errors, so `SpindleError.is(error)` from
 * `spindle` recognises them, and they reuse a core code where it means the
 * same thing (`ERR_INVALID_OPTION`, `ERR_INVALID_ARGUMENT`). The table in
 * docs/shared-memory.md lists every code; a test keeps the two in sync.
 */

export const sharedErrorCodes = [
  'ERR_INVALID_OPTION',
  'ERR_INVALID_ARGUMENT',
  'ERR_WAIT_TIMEOUT',
  'ERR_WAIT_ABORTED',
  'ERR_BLOCKING_MAIN_THREAD',
  'ERR_LOCK_REENTRANT',
  'ERR_LOCK_NOT_HELD',
  'ERR_CHANNEL_CLOSED',
  'ERR_CHANNEL_PEER_DIED',
  'ERR_CHANNEL_END_TAKEN',
  'ERR_CELL_BUSY',
] as const;

export type SharedErrorCode = (typeof sharedErrorCodes)[number];

/** Base class of the errors `spindle/shared` raises. Match on `error.code`. */
export class SharedMemoryError extends Error {
  readonly code: SharedErrorCode;

  constructor(code: SharedErrorCode, message: string, options?: { readonly cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    // The brand `SpindleError.is()` looks for, so that one check covers the core's errors and these.
    Object.defineProperty(this, Symbol.for('spindle.error'), { value: true });
  }

  override get name(): string {
    return this.constructor.name;
  }
}

/** A constructor option is wrong: `new ByteChannel({ capacity: -1 })`, `{ timeout: NaN }`. */
export class SharedOptionError extends SharedMemoryError {
  constructor(message: string) {
    super('ERR_INVALID_OPTION', message);
  }
}

/** A method argument is wrong: a handle that is not one, a string too long for its field, an index out of range. */
export class SharedArgumentError extends SharedMemoryError {
  constructor(message: string) {
    super('ERR_INVALID_ARGUMENT', message);
  }
}

/** A wait (for a lock, a permit, a flag, a counter, channel data or room) ran past its `timeout`. */
export class WaitTimeoutError extends SharedMemoryError {
  readonly timeoutMs: number;
  constructor(what: string, timeoutMs: number) {
    super('ERR_WAIT_TIMEOUT', `Waited ${String(timeoutMs)} ms for ${what}, in vain`);
    this.timeoutMs = timeoutMs;
  }
}

/** A wait was given up because its `signal` fired; `cause` is the signal's reason. */
export class WaitAbortedError extends SharedMemoryError {
  constructor(what: string, reason: unknown) {
    super('ERR_WAIT_ABORTED', `The wait for ${what} was aborted`, { cause: reason });
  }
}

/** A blocking method (`lockSync()`, `readSync()`…) was called on the main thread, which must never block. */
export class MainThreadBlockingError extends SharedMemoryError {
  constructor(method: string, instead: string) {
    super('ERR_BLOCKING_MAIN_THREAD', `${method} would block the main thread's event loop; on the main thread use ${instead}`);
  }
}

/** A blocking acquire by a thread that already holds the lock (or holds what the acquire waits for): it would never return. */
export class LockReentrantError extends SharedMemoryError {
  constructor(message: string) {
    super('ERR_LOCK_REENTRANT', message);
  }
}

/** A release of a lock or permit that this hold no longer owns (released twice, or never held). */
export class LockNotHeldError extends SharedMemoryError {
  constructor(message: string) {
    super('ERR_LOCK_NOT_HELD', message);
  }
}

/** A write to a channel that is closed (by its writer, or by its reader, who reads no more). */
export class ChannelClosedError extends SharedMemoryError {
  constructor(message: string) {
    super('ERR_CHANNEL_CLOSED', message);
  }
}

/** The thread at the other end of a channel died: the writer before closing it, or the reader. */
export class ChannelPeerDiedError extends SharedMemoryError {
  readonly threadId: number;
  constructor(end: 'writer' | 'reader', threadId: number) {
    super(
      'ERR_CHANNEL_PEER_DIED',
      end === 'writer'
        ? `The channel's writer (thread ${String(threadId)}) died before closing it: the data read so far may be incomplete`
        : `The channel's reader (thread ${String(threadId)}) died: nobody reads what is written`,
    );
    this.threadId = threadId;
  }
}

/**
 * An end of a channel was taken by a thread while another thread holds it
 * (one writer, one reader), or used after its `release()`.
 */
export class ChannelEndTakenError extends SharedMemoryError {
  /** The thread holding the end; undefined for an end used after `release()`. */
  readonly threadId: number | undefined;
  constructor(end: 'writer' | 'reader', threadId: number | undefined) {
    super(
      'ERR_CHANNEL_END_TAKEN',
      threadId === undefined
        ? `This ${end} end was released; take the end again with channel.${end}()`
        : `The channel's ${end} end is held by thread ${String(threadId)}; a channel has one ${end} at a time (release() hands it over)`,
    );
    this.threadId = threadId;
  }
}

/** A cell was written while another thread's write to it was in progress (a cell has one writer at a time). */
export class CellBusyError extends SharedMemoryError {
  readonly threadId: number;
  constructor(threadId: number) {
    super('ERR_CELL_BUSY', `Thread ${String(threadId)} is writing this cell; a cell has one writer at a time (guard writes from several threads with a Mutex)`);
    this.threadId = threadId;
  }
}
