import { subscribe } from 'node:diagnostics_channel';
import { threadId as ownThreadId } from 'node:worker_threads';
import { failArgument } from './validate.js';

/** A structure that can release what a dead thread held in it. */
export interface Recoverable {
  /** Releases what the thread tagged `deadTag` held; true if it held anything. */
  releaseHeldBy(deadTag: number): boolean;
}

/**
 * Every structure this thread created or rebuilt from a handle, held weakly:
 * when a pool worker exits, the ones it held something in are released.
 *
 * The core publishes every worker exit of every pool in this thread on the
 * `spindle:worker:exit` diagnostics channel, after the worker stopped running
 * (so it can no longer touch the memory). Thread ids are never reused within
 * a process, so a tag left in shared memory by a dead thread cannot be
 * mistaken for a live one.
 */
const tracked = new Set<WeakRef<Recoverable>>();
const forget = new FinalizationRegistry<WeakRef<Recoverable>>((reference) => tracked.delete(reference));
let listening = false;

export function track(structure: Recoverable): void {
  const reference = new WeakRef(structure);
  tracked.add(reference);
  forget.register(structure, reference);
  if (!listening) {
    listening = true;
    subscribe('spindle:worker:exit', onWorkerExit);
  }
}

function onWorkerExit(message: unknown): void {
  const threadId = (message as { readonly threadId?: unknown } | null)?.threadId;
  if (typeof threadId === 'number' && Number.isInteger(threadId) && threadId > 0) releaseAll(threadId + 1);
}

function releaseAll(deadTag: number): number {
  let released = 0;
  for (const reference of tracked) {
    if (reference.deref()?.releaseHeldBy(deadTag) === true) released++;
  }
  return released;
}

/**
 * Releases what the thread `threadId` held in every structure this thread
 * knows (created here, or rebuilt here from a handle): its locks (the next
 * holder sees `ownerDied`), its semaphore permits and read holds, a cell
 * write it left half done, and the channel ends it held (the other end gets
 * `ERR_CHANNEL_PEER_DIED`). Returns how many structures it released
 * something in.
 *
 * Spindle calls this itself when a pool worker exits. Call it for a `Worker`
 * you started yourself, from its `exit` event — never for a thread that is
 * still running: it would break the mutual exclusion of the locks it holds.
 */
export function recoverDeadThread(threadId: number): number {
  if (typeof threadId !== 'number' || !Number.isInteger(threadId) || threadId < 1 || threadId === ownThreadId) {
    failArgument('threadId', 'the id (an integer >= 1) of a worker thread that has exited, not this thread nor the main thread', threadId);
  }
  return releaseAll(threadId + 1);
}
