import { invalidArgument } from '../options/expectations.js';
import type { ResolvedOptions } from '../options/resolve-options.js';

/** Per-call options of `pool.run()`. */
export interface RunOptions {
  /** Higher runs first; FIFO within a priority. @default 0 */
  readonly priority?: number;
  /** Cancels the task: removed from the queue, or asked to stop if running. */
  readonly signal?: AbortSignal | null;
  /** Run-time limit in ms for this call. @default the pool's `timeout` */
  readonly timeout?: number;
  /** Queue-wait limit in ms for this call. @default the pool's `queueTimeout` */
  readonly queueTimeout?: number;
  /** Extra attempts after a worker death or timeout. @default the pool's `retries` */
  readonly retries?: number;
  /** Receives the task's `context.progress()` values, in order, before the result. */
  readonly onProgress?: (value: unknown) => void;
  /** Receives the task's `context.emit(event, data)` calls, in order with progress, before the result. */
  readonly onEvent?: (event: string, data: unknown) => void;
}

export interface RunSettings {
  readonly priority: number;
  readonly timeout: number | undefined;
  readonly queueTimeout: number | undefined;
  readonly retries: number;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: ((value: unknown) => void) | undefined;
  readonly onEvent: ((event: string, data: unknown) => void) | undefined;
}

/** The settings of a call without options; one frozen object per pool, shared by those calls. */
export function defaultRunSettings(pool: ResolvedOptions): RunSettings {
  return Object.freeze({ priority: 0, timeout: pool.timeout, queueTimeout: pool.queueTimeout, retries: pool.retries, signal: undefined, onProgress: undefined, onEvent: undefined });
}

export function validateTaskName(name: unknown): void {
  if (typeof name !== 'string' || name.length === 0) invalidArgument('name', 'a non-empty string', name);
}

/** Validates one call's options against the pool's defaults. */
export function resolveRunSettings(options: RunOptions | undefined, pool: ResolvedOptions, defaults: RunSettings): RunSettings {
  if (options === undefined) return defaults;
  if (typeof options !== 'object' || (options as unknown) === null) invalidArgument('options', 'an object', options);
  const { priority = 0, signal, timeout = pool.timeout, queueTimeout = pool.queueTimeout, retries = pool.retries, onProgress, onEvent } = options;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) invalidArgument('priority', 'a finite number', priority);
  if (signal != null && !(signal instanceof AbortSignal)) invalidArgument('signal', 'an AbortSignal', signal);
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) invalidArgument('timeout', 'a finite number > 0', timeout);
  if (queueTimeout !== undefined && (typeof queueTimeout !== 'number' || !(queueTimeout > 0) || !Number.isFinite(queueTimeout))) {
    invalidArgument('queueTimeout', 'a finite number > 0', queueTimeout);
  }
  if (!Number.isInteger(retries) || retries < 0) invalidArgument('retries', 'an integer >= 0', retries);
  if (onProgress !== undefined && typeof onProgress !== 'function') invalidArgument('onProgress', 'a function', onProgress);
  if (onEvent !== undefined && typeof onEvent !== 'function') invalidArgument('onEvent', 'a function', onEvent);
  const isDefault =
    priority === 0 && signal == null && timeout === defaults.timeout && queueTimeout === defaults.queueTimeout && retries === defaults.retries && onProgress === undefined && onEvent === undefined;
  // Calls whose options change nothing share the defaults object: no allocation per task.
  if (isDefault) return defaults;
  return { priority, timeout, queueTimeout, retries, signal: signal ?? undefined, onProgress, onEvent };
}
