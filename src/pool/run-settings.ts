import { InvalidArgumentError } from '../errors.js';
import type { ResolvedOptions } from './options.js';
import type { RunOptions } from './task.js';

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
  if (typeof name !== 'string' || name.length === 0) invalid('name', 'a non-empty string', name);
}

/** Validates one call's options against the pool's defaults. */
export function resolveRunSettings(options: RunOptions | undefined, pool: ResolvedOptions, defaults: RunSettings): RunSettings {
  if (options === undefined) return defaults;
  if (typeof options !== 'object' || (options as unknown) === null) invalid('options', 'an object', options);
  const { priority = 0, signal, timeout = pool.timeout, queueTimeout = pool.queueTimeout, retries = pool.retries, onProgress, onEvent } = options;
  if (typeof priority !== 'number' || !Number.isFinite(priority)) invalid('priority', 'a finite number', priority);
  if (signal != null && !(signal instanceof AbortSignal)) invalid('signal', 'an AbortSignal', signal);
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0) || !Number.isFinite(timeout))) invalid('timeout', 'a finite number > 0', timeout);
  if (queueTimeout !== undefined && (typeof queueTimeout !== 'number' || !(queueTimeout > 0) || !Number.isFinite(queueTimeout))) {
    invalid('queueTimeout', 'a finite number > 0', queueTimeout);
  }
  if (!Number.isInteger(retries) || retries < 0) invalid('retries', 'an integer >= 0', retries);
  if (onProgress !== undefined && typeof onProgress !== 'function') invalid('onProgress', 'a function', onProgress);
  if (onEvent !== undefined && typeof onEvent !== 'function') invalid('onEvent', 'a function', onEvent);
  const isDefault =
    priority === 0 && signal == null && timeout === defaults.timeout && queueTimeout === defaults.queueTimeout && retries === defaults.retries && onProgress === undefined && onEvent === undefined;
  // Calls whose options change nothing share the defaults object: no allocation per task.
  if (isDefault) return defaults;
  return { priority, timeout, queueTimeout, retries, signal: signal ?? undefined, onProgress, onEvent };
}

function invalid(name: string, expected: string, given: unknown): never {
  throw new InvalidArgumentError(`Expected \`${name}\` to be ${expected}, got \`${String(given)}\` (${given === null ? 'null' : typeof given})`);
}
