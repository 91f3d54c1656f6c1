import type { Transferable } from 'node:worker_threads';
import { isTransferred, transfer } from '../protocol/transfer.js';
import type { TaskContext } from '../protocol/task-context.js';
import type { TaskFunction } from './load-module.js';

/**
 * Wraps `task` into the task that runs a chunk (see `chunkTaskName`): it
 * applies `task` to each argument in turn, with the same context, and
 * returns the array of results. It stays synchronous while `task` is, so a
 * chunk of quick calls costs no promise at all. Between items it checks for
 * cancellation, so even a task that never looks at its context stops within
 * one item once the chunk is aborted. The first item that throws fails the
 * whole chunk.
 */
export function chunkRunner(task: TaskFunction): TaskFunction {
  return (items, context) => {
    const taskContext = context as TaskContext;
    const argumentsOfChunk = items as readonly unknown[];
    const results = new ChunkResults(argumentsOfChunk.length);
    for (let index = 0; index < argumentsOfChunk.length; index++) {
      taskContext.throwIfAborted();
      const value = task(argumentsOfChunk[index], context);
      if (isThenable(value)) return finishLater(task, argumentsOfChunk, taskContext, results, index, value);
      results.set(index, value);
    }
    return results.toReturnValue();
  };
}

async function finishLater(
  task: TaskFunction,
  argumentsOfChunk: readonly unknown[],
  context: TaskContext,
  results: ChunkResults,
  pendingIndex: number,
  pending: PromiseLike<unknown>,
): Promise<unknown> {
  results.set(pendingIndex, await pending);
  for (let index = pendingIndex + 1; index < argumentsOfChunk.length; index++) {
    context.throwIfAborted();
    results.set(index, await task(argumentsOfChunk[index], context));
  }
  return results.toReturnValue();
}

/** The results of a chunk; buffers a task marked for transfer are moved with the whole array. */
class ChunkResults {
  readonly #values: unknown[];
  #transferList: Set<Transferable> | undefined;

  constructor(length: number) {
    this.#values = new Array<unknown>(length);
  }

  set(index: number, value: unknown): void {
    if (isTransferred(value)) {
      this.#transferList ??= new Set();
      for (const item of value.transferList) this.#transferList.add(item);
      value = value.value;
    }
    this.#values[index] = value;
  }

  toReturnValue(): unknown {
    return this.#transferList === undefined ? this.#values : transfer(this.#values, [...this.#transferList]);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
