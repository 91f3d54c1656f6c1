import type { TaskContext } from 'spindle';
import * as tasks from '../tasks.js';
import type { DemoTaskName, TaskRunner } from './task-runner.js';

/**
 * Calls the task functions directly, on the event loop: the service as it
 * would be written without a pool. `transfer()` wrappers are unwrapped, since
 * nothing crosses a thread.
 */
export function createInlineRunner(): TaskRunner {
  const run = async (name: DemoTaskName, argument?: unknown): Promise<unknown> => {
    const task = tasks[name] as (argument: unknown, context: TaskContext) => unknown;
    return unwrapTransfer(await task(unwrapTransfer(argument), inlineContext()));
  };
  return {
    mode: 'inline',
    pool: undefined,
    ready: Promise.resolve(),
    run: run as TaskRunner['run'],
    stats: () => undefined,
    close: () => Promise.resolve(),
  };
}

function unwrapTransfer(value: unknown): unknown {
  const wrapped = typeof value === 'object' && value !== null && 'transferList' in value && 'value' in value;
  return wrapped ? value.value : value;
}

/** A context for a call on the main thread: never aborted; progress and events go nowhere. */
function inlineContext(): TaskContext {
  const signal = new AbortController().signal;
  const context = {
    signal,
    threadId: 0,
    throwIfAborted: () => {
      signal.throwIfAborted();
    },
    progress: () => undefined,
    emit: () => undefined,
  };
  return context;
}
