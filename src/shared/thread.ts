import { isMainThread, threadId } from 'node:worker_threads';
import { MainThreadBlockingError } from './errors.js';

/**
 * Who holds something, as the structures record it in shared memory: this
 * thread's `threadId` plus one, so that 0 can mean "nobody" (the main thread's
 * `threadId` is 0). Thread ids are never reused within a process, so a tag
 * names one thread for the life of the process.
 */
export const THREAD_TAG = threadId + 1;

/** The thread id a tag stands for. */
export const threadIdOf = (tag: number): number => tag - 1;

/** Throws ERR_BLOCKING_MAIN_THREAD when `method` is called on the main thread, whose event loop must never stop. */
export function assertMayBlock(method: string, instead: string): void {
  if (isMainThread) throw new MainThreadBlockingError(method, instead);
}

export { isMainThread };
