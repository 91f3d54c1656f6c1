/**
 * `queuePool.map()`: a task over many items, with a bounded number of jobs
 * in flight, reading the input only as results are consumed.
 */
import { setMaxListeners } from 'node:events';
import { TaskAbortedError } from '../index.js';
import { resolveRunOptions, type QueueRunOptions, type RunSettings } from './queue-pool-options.js';
import { invalid } from './validation.js';

/** Options of `queuePool.map()`; `priority`, `timeout`, `queueTimeout`, `retries` and `backoff` apply to each job. */
export interface QueueMapOptions extends Pick<QueueRunOptions, 'priority' | 'timeout' | 'queueTimeout' | 'retries' | 'backoff'> {
  /** Most jobs in flight (submitted, not yet yielded). @default 64 */
  readonly concurrency?: number;
  /** Yield results in input order; with `false`, as each job finishes. @default true */
  readonly ordered?: boolean;
  /** Stops everything: jobs still waiting are removed, running ones cancelled, and the loop gets ERR_TASK_ABORTED. */
  readonly signal?: AbortSignal | null;
}

type Submit = (argument: unknown, options: QueueRunOptions) => Promise<unknown>;
type Settled = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** Checks the arguments at once (ERR_INVALID_ARGUMENT), then returns the generator. */
export function mapOverQueue(submit: Submit, items: unknown, name: unknown, options: QueueMapOptions | undefined, defaults: RunSettings): AsyncGenerator<unknown, void, undefined> {
  if (typeof name !== 'string' || name.length === 0) invalid('name', 'a non-empty string', name);
  if (typeof items !== 'object' || items === null || !(Symbol.iterator in items || Symbol.asyncIterator in items)) invalid('items', 'an iterable or an async iterable', items);
  if (options !== undefined && (typeof options !== 'object' || (options as unknown) === null)) invalid('options', 'an object', options);
  const { concurrency = 64, ordered = true, signal, priority, timeout, queueTimeout, retries, backoff } = options ?? {};
  if (!Number.isInteger(concurrency) || concurrency < 1) invalid('concurrency', 'an integer >= 1', concurrency);
  if (typeof ordered !== 'boolean') invalid('ordered', 'a boolean', ordered);
  if (signal != null && !(signal instanceof AbortSignal)) invalid('signal', 'an AbortSignal', signal);
  const runOptions: QueueRunOptions = {
    ...(priority === undefined ? {} : { priority }),
    ...(timeout === undefined ? {} : { timeout }),
    ...(queueTimeout === undefined ? {} : { queueTimeout }),
    ...(retries === undefined ? {} : { retries }),
    ...(backoff === undefined ? {} : { backoff }),
  };
  resolveRunOptions(runOptions, defaults);
  return generate(submit, items as Iterable<unknown> | AsyncIterable<unknown>, { concurrency, ordered, signal: signal ?? undefined, runOptions });
}

interface MapSettings {
  readonly concurrency: number;
  readonly ordered: boolean;
  readonly signal: AbortSignal | undefined;
  readonly runOptions: QueueRunOptions;
}

async function* generate(submit: Submit, items: Iterable<unknown> | AsyncIterable<unknown>, settings: MapSettings): AsyncGenerator<unknown, void, undefined> {
  const stop = new AbortController();
  // One listener per job in flight.
  setMaxListeners(settings.concurrency + 10, stop.signal);
  const onAbort = (): void => {
    stop.abort(settings.signal?.reason);
  };
  settings.signal?.addEventListener('abort', onAbort, { once: true });
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const inFlight = new Map<number, Promise<readonly [number, Settled]>>();
  let nextIndex = 0;
  let nextToYield = 0;
  let inputDone = false;
  const finished = new Map<number, Settled>();
  const fill = async (): Promise<void> => {
    while (!inputDone && inFlight.size + finished.size < settings.concurrency) {
      if (stop.signal.aborted) throw new TaskAbortedError(stop.signal.reason);
      const next = await iterator.next();
      if (next.done === true) {
        inputDone = true;
        return;
      }
      const index = nextIndex++;
      const settled = submit(next.value, { ...settings.runOptions, signal: stop.signal }).then(
        (value): readonly [number, Settled] => [index, { ok: true, value }],
        (error: unknown): readonly [number, Settled] => [index, { ok: false, error }],
      );
      inFlight.set(index, settled);
    }
  };
  /** The next result to yield, if it has arrived: the next in input order, or any when unordered. */
  const take = (): readonly [number, Settled] | undefined => {
    if (!settings.ordered) return finished.entries().next().value;
    const settled = finished.get(nextToYield);
    return settled === undefined ? undefined : [nextToYield, settled];
  };
  try {
    await fill();
    while (inFlight.size > 0 || finished.size > 0) {
      let entry = take();
      while (entry === undefined) {
        const [index, settled] = await Promise.race(inFlight.values());
        inFlight.delete(index);
        finished.set(index, settled);
        entry = take();
      }
      const [index, result] = entry;
      finished.delete(index);
      if (settings.ordered) nextToYield++;
      if (!result.ok) throw result.error;
      yield result.value;
      await fill();
    }
  } finally {
    settings.signal?.removeEventListener('abort', onAbort);
    if (inFlight.size > 0) stop.abort(new Error('map() ended before these jobs finished'));
    await iterator.return?.();
  }
}
