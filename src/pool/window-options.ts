import { invalidArgument } from '../options/expectations.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { defaultRunSettings, resolveRunSettings, validateTaskName } from '../scheduler/run-settings.js';
import type { RunOptions } from '../scheduler/run-settings.js';

/** Options that `pool.map()` and `pool.stream()` share. */
export interface WindowOptions extends Pick<RunOptions, 'priority' | 'timeout' | 'queueTimeout' | 'retries'> {
  /**
   * Most task calls submitted and not yet handed to the consumer.
   * @default twice the pool's maximum number of threads
   */
  readonly concurrency?: number;
  /** Stops everything: calls not yet started are dropped, running ones are asked to stop, and the consumer gets ERR_TASK_ABORTED. */
  readonly signal?: AbortSignal | null;
}

/** Submits one task call, as `pool.run()` does. */
export type SubmitTask = (name: string, argument: unknown, options: RunOptions) => Promise<unknown>;

export interface WindowSettings {
  readonly concurrency: number;
  readonly signal: AbortSignal | undefined;
  /** The options of each task call. */
  readonly runOptions: Pick<RunOptions, 'priority' | 'timeout' | 'queueTimeout' | 'retries'>;
}

/** Validates the shared options (throwing ERR_INVALID_ARGUMENT) and the task name. */
export function resolveWindowOptions(name: unknown, options: WindowOptions, poolOptions: ResolvedOptions): WindowSettings {
  const { concurrency = 2 * poolOptions.maxThreads, signal, priority, timeout, queueTimeout, retries } = options;
  if (!Number.isInteger(concurrency) || concurrency < 1) invalidArgument('concurrency', 'an integer >= 1', concurrency);
  if (signal != null && !(signal instanceof AbortSignal)) invalidArgument('signal', 'an AbortSignal', signal);
  const runOptions = {
    ...(priority === undefined ? {} : { priority }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(queueTimeout === undefined ? {} : { queueTimeout }),
    ...(retries === undefined ? {} : { retries }),
  };
  validateTaskName(name);
  resolveRunSettings(runOptions, poolOptions, defaultRunSettings(poolOptions));
  return { concurrency, signal: signal ?? undefined, runOptions };
}

/** `options` itself, once it is known to be an object (or absent). */
export function optionsObject<T extends object>(options: T | undefined): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || (options as unknown) === null) invalidArgument('options', 'an object', options);
  return options;
}
