import { Pool } from './pool.js';
import type { PoolOptions } from '../options/pool-options.js';
import type { RunOptions } from '../scheduler/run-settings.js';
import { optionsObject } from './window-options.js';
import type { AnyTaskModule, SendableArgument, TaskArgument, TaskName, TaskResult } from './task-types.js';
import type { Transferred } from '../protocol/transfer.js';

/** Options of `runOnce()`: those of the one call, and those of its worker. */
export interface RunOnceOptions
  extends RunOptions, Pick<PoolOptions, 'abortGrace' | 'retryOn' | 'maxHeapUsedMb' | 'resourceLimits' | 'env' | 'execArgv' | 'name'> {}

/** The rest of `runOnce(module, name, ...)`: the argument (optional when the task takes none), then options. */
export type RunOnceArguments<M, K extends TaskName<M>> =
  undefined extends TaskArgument<M, K>
    ? [argument?: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: RunOnceOptions]
    : [argument: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: RunOnceOptions];

const runOptionNames = new Set<string>(['priority', 'signal', 'timeout', 'queueTimeout', 'retries', 'onProgress', 'onEvent']);

/**
 * Runs one task in a worker of its own and ends the worker: for a script
 * that needs one task off the main thread without keeping a pool. It fails
 * as `pool.run()` does, and with ERR_WORKER_START_FAILED if the module
 * cannot be loaded; the worker is gone when the promise settles.
 *
 * ```ts
 * const hash = await runOnce<typeof import('../../tasks.js'), 'hash'>(new URL('./tasks.js', import.meta.url), 'hash', file);
 * ```
 */
export async function runOnce<M extends object = AnyTaskModule, K extends TaskName<M> = TaskName<M>>(
  module: string | URL,
  name: K,
  ...[argument, options]: RunOnceArguments<M, K>
): Promise<TaskResult<M, K>> {
  const runOptions: Record<string, unknown> = {};
  const poolOptions: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(optionsObject(options))) {
    if (runOptionNames.has(key)) runOptions[key] = value;
    else poolOptions[key] = value;
  }
  const pool: Pool = new Pool(module, { ...(poolOptions as PoolOptions), threads: 1 });
  try {
    await pool.ready;
    return (await pool.run(name, argument as never, runOptions)) as TaskResult<M, K>;
  } finally {
    await pool.close();
  }
}
