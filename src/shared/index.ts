/**
 * `spindle/shared`: data structures in shared memory for the main thread and
 * pool workers: counters, flags and cells read live, locks that never block
 * the main thread and survive a dead holder, channels that stream without a
 * message per item, and typed record tables. Each crosses into a task as
 * `structure.toHandle()` and is rebuilt there with `Structure.from(handle)`,
 * around the same memory. See docs/shared-memory.md.
 */
export { Mutex, type MutexHandle } from './mutex.js';
export { Semaphore, type SemaphoreHandle } from './semaphore.js';
export { ReadWriteLock, type ReadWriteLockHandle, type ReadWriteLockOptions } from './read-write-lock.js';
export { LockHold } from './lock-hold.js';
export { SharedCounter, type SharedCounterHandle, type SharedCounterOptions, type CounterType, type CounterValue } from './counter.js';
export { SharedFlag, type SharedFlagHandle } from './flag.js';
export { SharedCell, type SharedCellHandle, type CellSnapshot } from './cell.js';
export { SharedRecords, type SharedRecordsHandle, type ColumnOf } from './records.js';
export { ByteChannel, type ByteChannelHandle, type ByteChannelOptions } from './byte-channel.js';
export { ByteChannelWriter } from './byte-channel-writer.js';
export { ByteChannelReader } from './byte-channel-reader.js';
export { RecordChannel, RecordChannelReader, RecordChannelWriter, type RecordChannelHandle, type RecordChannelOptions } from './record-channel.js';
export type { Schema, FieldType, NumberFieldType, BigIntFieldType, StringFieldType, FieldValue, RecordOf } from './schema.js';
export type { WaitOptions, Abortable } from './wait.js';
export type { Handle } from './handle.js';
export { recoverDeadThread } from './recovery.js';
export {
  sharedErrorCodes,
  SharedMemoryError,
  SharedOptionError,
  SharedArgumentError,
  WaitTimeoutError,
  WaitAbortedError,
  MainThreadBlockingError,
  LockReentrantError,
  LockNotHeldError,
  ChannelClosedError,
  ChannelPeerDiedError,
  ChannelEndTakenError,
  CellBusyError,
  type SharedErrorCode,
} from './errors.js';
