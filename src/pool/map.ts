import { TaskAbortedError } from '../errors.js';
import { chunkTaskName } from '../protocol/messages.js';
import { ChunkReader, END_OF_INPUT } from './chunk-reader.js';
import type { ResolvedOptions } from '../options/resolve-options.js';
import { createResultWindow } from './result-window.js';
import type { RunOptions } from '../scheduler/run-settings.js';
import { invalidArgument } from '../options/expectations.js';
import { optionsObject, resolveWindowOptions, type SubmitTask, type WindowOptions, type WindowSettings } from './window-options.js';

/** Options of `pool.map()`; `priority`, `timeout`, `queueTimeout` and `retries` apply to each task call (one per chunk). */
export interface MapOptions extends WindowOptions {
  /**
   * Most task calls submitted and not yet yielded. With `chunkSize`, this
   * bounds what the map holds: at most `concurrency × chunkSize` items are
   * read from the input and not yet yielded.
   * @default twice the pool's maximum number of threads
   */
  readonly concurrency?: number;
  /**
   * Yield results in input order; with `false`, each result is yielded as
   * soon as its call finishes.
   * @default true
   */
  readonly ordered?: boolean;
  /**
   * Items sent to a worker in one task call. The worker applies the task to
   * each item of a chunk in turn; larger chunks save messages when items are
   * small and quick.
   * @default 1
   */
  readonly chunkSize?: number;
}

interface MapSettings extends WindowSettings {
  readonly ordered: boolean;
  readonly chunkSize: number;
}

/**
 * Runs task `name` on every item of `input` and yields the results. Checks
 * its arguments at once (throwing ERR_INVALID_ARGUMENT); reads the input
 * only as the results are consumed.
 */
export function mapTask(
  submit: SubmitTask,
  input: unknown,
  name: string,
  options: MapOptions | undefined,
  poolOptions: ResolvedOptions,
): AsyncGenerator<unknown, void, undefined> {
  if (!isIterable(input)) invalidArgument('items', 'an iterable or an async iterable', input);
  const given = optionsObject(options);
  const { ordered = true, chunkSize = 1 } = given;
  if (typeof ordered !== 'boolean') invalidArgument('ordered', 'a boolean', ordered);
  if (!Number.isInteger(chunkSize) || chunkSize < 1) invalidArgument('chunkSize', 'an integer >= 1', chunkSize);
  const settings = { ...resolveWindowOptions(name, given, poolOptions), ordered, chunkSize };
  return generateResults(submit, input, name, settings);
}

/**
 * The loop: keep up to `concurrency` calls in the window, then yield the
 * next result. Reading happens only here, between yields, so a consumer
 * that stops asking stops the reading too. Whatever ends the iteration (the
 * end, an error, an abort, or a `break` in the consumer) cancels the calls
 * still in the window and lets the input clean up.
 */
async function* generateResults(
  submit: SubmitTask,
  input: Iterable<unknown> | AsyncIterable<unknown>,
  name: string,
  settings: MapSettings,
): AsyncGenerator<unknown, void, undefined> {
  const stop = new AbortController();
  const callerSignal = settings.signal;
  const forwardAbort = (): void => {
    stop.abort(callerSignal?.reason);
  };
  callerSignal?.addEventListener('abort', forwardAbort, { once: true });
  if (callerSignal?.aborted === true) forwardAbort();
  const reader = new ChunkReader(input, settings.chunkSize, stop.signal);
  const window = createResultWindow(settings.ordered);
  const runOptions: RunOptions = { ...settings.runOptions, signal: stop.signal };
  const taskName = settings.chunkSize === 1 ? name : chunkTaskName(name);
  try {
    for (;;) {
      while (window.size < settings.concurrency) {
        const argument = await reader.read();
        if (argument === END_OF_INPUT) break;
        window.add(submit(taskName, argument, runOptions));
      }
      if (window.size === 0) return;
      if (stop.signal.aborted) throw new TaskAbortedError(stop.signal.reason);
      const result = await window.take();
      if (settings.chunkSize === 1) yield result;
      else for (const value of result as readonly unknown[]) yield value;
    }
  } finally {
    callerSignal?.removeEventListener('abort', forwardAbort);
    if (window.size > 0) stop.abort(new DOMException('The map stopped before these tasks finished', 'AbortError'));
    await reader.close();
  }
}

function isIterable(value: unknown): value is Iterable<unknown> | AsyncIterable<unknown> {
  if (value === null || value === undefined) return false;
  const candidate = value as { [Symbol.iterator]?: unknown; [Symbol.asyncIterator]?: unknown };
  return typeof candidate[Symbol.asyncIterator] === 'function' || typeof candidate[Symbol.iterator] === 'function';
}
