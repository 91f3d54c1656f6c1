import { EventEmitter } from 'node:events';
import type { Transform } from 'node:stream';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { InvalidArgumentError } from '../errors.js';
import { expectationMessage, invalidArgument } from '../options/expectations.js';
import type { PoolStats } from '../stats/snapshot.js';
import type { Transferred } from '../protocol/transfer.js';
import { Engine } from '../scheduler/engine.js';
import type { PoolEvents } from '../events.js';
import { closeGracefully, destroyNow, type CloseOptions } from './lifecycle.js';
import { installCloseOnSignal, type CloseOnSignalOptions } from './signals.js';
import { mapTask, type MapOptions } from './map.js';
import type { PoolOptions } from '../options/pool-options.js';
import { resolveOptions } from '../options/resolve-options.js';
import { takeSnapshot } from './snapshot.js';
import { createTaskStream, type StreamOptions } from './stream.js';
import type { RunOptions } from '../scheduler/run-settings.js';
import type { AnyTaskModule, RunArguments, TaskArgument, TaskName, TaskResult } from './task-types.js';
import type { SubmitTask } from './window-options.js';

/**
 * A pool of worker threads running the tasks of one module.
 *
 * ```ts
 * const pool = new Pool<typeof import('./tasks.js')>(new URL('./tasks.js', import.meta.url));
 * const thumbnail = await pool.run('resize', { image, width: 200 });
 * ```
 */
export class Pool<M extends object = AnyTaskModule> extends EventEmitter<PoolEvents> implements AsyncDisposable {
  /** Resolves once the initial workers have loaded the module; rejects with ERR_WORKER_START_FAILED if it fails to load. */
  readonly ready: Promise<void>;
  readonly #engine: Engine;
  #closed: Promise<void> | undefined;
  /** Submits one call of `map()` or `stream()`; failures, invalid arguments included, reject. */
  readonly #submit: SubmitTask = (name, argument, options) => {
    try {
      return this.#engine.submit(name, argument, options);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };

  constructor(module: string | URL, options?: PoolOptions) {
    super();
    const moduleUrl = toModuleUrl(module);
    this.#engine = new Engine(moduleUrl, resolveOptions(options), {
      emit: (name, ...args) => {
        if (this.listenerCount(name) > 0) (this.emit as (name: string, ...args: unknown[]) => boolean)(name, ...args);
      },
    });
    this.ready = this.#engine.workforce.ready;
    this.#engine.start();
  }

  /** Runs task `name` with `argument` in a worker; wrap the argument with `transfer()` to move its buffers. */
  run<K extends TaskName<M>>(name: K, ...rest: RunArguments<M, K>): Promise<TaskResult<M, K>>;
  run(name: string, argument?: unknown, options?: RunOptions): Promise<unknown> {
    try {
      return this.#engine.submit(name, argument, options);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /**
   * Runs task `name` on every item of `items` (an iterable or an async
   * iterable) and yields the results, in input order unless `ordered` is
   * false. At most `concurrency` calls of `chunkSize` items each are in
   * flight; the input is read only as results are consumed. Leaving the
   * loop early, or aborting `signal`, cancels the calls still in flight.
   *
   * ```ts
   * for await (const thumbnail of pool.map(images, 'resize', { concurrency: 8 })) save(thumbnail);
   * ```
   */
  map<K extends TaskName<M>>(
    items: Iterable<TaskArgument<M, K> | Transferred<TaskArgument<M, K>>> | AsyncIterable<TaskArgument<M, K> | Transferred<TaskArgument<M, K>>>,
    name: K,
    options?: MapOptions,
  ): AsyncGenerator<TaskResult<M, K>, void, undefined> {
    return mapTask(this.#submit, items, name, options, this.#engine.options) as AsyncGenerator<TaskResult<M, K>, void, undefined>;
  }

  /**
   * An object-mode Transform that runs task `name` on each object written
   * to it and emits the results in order, with back-pressure on both sides:
   * `await pipeline(records, pool.stream('enrich'), output)`.
   */
  stream(name: TaskName<M>, options?: StreamOptions): Transform {
    return createTaskStream(this.#submit, name, options, this.#engine.options);
  }

  /** An immutable snapshot of counters, percentiles and per-worker figures. */
  stats(): PoolStats {
    return takeSnapshot(this.#engine);
  }

  /** Resolves when the queue has room (below `maxQueue`). */
  onDrain(): Promise<void> {
    return this.#engine.onDrain();
  }

  /** Resolves when no task is queued or running. */
  onIdle(): Promise<void> {
    return this.#engine.onIdle();
  }

  /** Stops accepting tasks, finishes queued and running ones, then ends the workers. */
  close(options: CloseOptions = {}): Promise<void> {
    const timeout = options.timeout;
    if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= 0))) {
      return Promise.reject(new InvalidArgumentError(expectationMessage('timeout', 'a number >= 0', timeout)));
    }
    this.#closed ??= closeGracefully(this.#engine, timeout);
    return this.#closed;
  }

  /** Rejects every pending task with ERR_POOL_DESTROYED and ends the workers now (a thread worker still loading its module is asked to leave, and terminated 500 ms later only if it has not: docs/fault-tolerance.md). */
  destroy(): Promise<void> {
    this.#closed = destroyNow(this.#engine);
    return this.#closed;
  }

  /**
   * On SIGTERM/SIGINT: stops `server` if given (no new connections; requests
   * in flight finish, their tasks included), awaits `beforeClose`, then closes
   * the pool (finishing its work) and removes its handlers, so that the
   * process exits 0 by itself. Returns a function that uninstalls them.
   *
   * ```ts
   * const server = app.listen(3000);
   * pool.closeOnSignal({ server });
   * ```
   */
  closeOnSignal(options: CloseOnSignalOptions = {}): () => void {
    return installCloseOnSignal(
      options,
      (closeOptions) => this.close(closeOptions),
      (error) => {
        this.#engine.reportCallbackError(error);
      },
    );
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function toModuleUrl(module: string | URL): URL {
  if (module instanceof URL) return module;
  const given: unknown = module;
  if (typeof given !== 'string' || given.length === 0) {
    invalidArgument('module', 'a URL, a file: URL string or a path', given);
  }
  if (module.startsWith('file:')) return new URL(module);
  return pathToFileURL(isAbsolute(module) ? module : resolve(module));
}
