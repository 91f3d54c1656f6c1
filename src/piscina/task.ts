import { AsyncResource } from 'node:async_hooks';
import type { EventEmitter } from 'node:events';
import type { Transferable } from 'node:worker_threads';
import { PiscinaAbortError } from './errors.js';
import { queueOptionsSymbol } from './symbols.js';
import type { PiscinaTask } from './queues.js';
import type { WorkerView } from './balancer.js';

/** An AbortSignal, or piscina's other kind: an EventEmitter that emits 'abort'. */
export type AbortSignalLike =
  | { addEventListener(name: 'abort', listener: () => void, options?: { once: boolean }): void; removeEventListener(name: 'abort', listener: () => void): void; readonly aborted?: boolean; readonly reason?: unknown }
  | Pick<EventEmitter, 'once' | 'removeListener'>;

let nextTaskId = 0;

/**
 * One call of `run()`, from submission to settlement: what a custom
 * `taskQueue` holds (`task`, `filename`, `name`, `taskId`, `created`,
 * `isAbortable` and the queue options), and an async resource of type
 * 'Piscina.Task', in whose scope the caller's promise settles (as in piscina).
 */
export class PendingTask extends AsyncResource implements PiscinaTask {
  readonly task: unknown;
  readonly filename: string;
  readonly name: string;
  readonly taskId = ++nextTaskId;
  readonly created = performance.now();
  readonly transferList: readonly Transferable[];
  readonly signal: AbortSignalLike | null;
  readonly [queueOptionsSymbol]: object | null;
  /** Set once it is handed to the engine. */
  started: number | undefined;
  /** Aborts the engine's attempt, once started. */
  controller: AbortController | undefined;
  /** The worker it went to when it started (a `loadBalancer`'s choice, or the engine's): what its `currentUsage` counts. */
  placedOn: WorkerView | undefined;
  settled = false;
  readonly #resolve: (value: unknown) => void;
  readonly #reject: (error: Error) => void;
  #stopListening: (() => void) | undefined;

  constructor(
    fields: { task: unknown; value: unknown; filename: string; name: string; transferList: readonly Transferable[]; signal: AbortSignalLike | null },
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ) {
    super('Piscina.Task', { requireManualDestroy: true });
    this.task = fields.value;
    this.filename = fields.filename;
    this.name = fields.name;
    this.transferList = fields.transferList;
    this.signal = fields.signal;
    const options: unknown = fields.task !== null && typeof fields.task === 'object' ? (fields.task as Record<symbol, unknown>)[queueOptionsSymbol] : undefined;
    this[queueOptionsSymbol] = options ?? null;
    this.#resolve = resolve;
    this.#reject = reject;
  }

  get isAbortable(): boolean {
    return this.signal !== null;
  }

  /** Calls `onAbort` when the signal fires (at most once). */
  listen(onAbort: (reason: unknown) => void): void {
    const signal = this.signal;
    if (signal === null) return;
    const listener = (): void => {
      onAbort('reason' in signal ? signal.reason : undefined);
    };
    if ('addEventListener' in signal) {
      signal.addEventListener('abort', listener, { once: true });
      this.#stopListening = () => {
        signal.removeEventListener('abort', listener);
      };
    } else {
      signal.once('abort', listener);
      this.#stopListening = () => {
        signal.removeListener('abort', listener);
      };
    }
  }

  /** Settles the caller's promise once; later calls do nothing. */
  done(error: Error | null, value?: unknown): void {
    if (this.settled) return;
    this.settled = true;
    this.#stopListening?.();
    this.runInAsyncScope(() => {
      if (error === null) this.#resolve(value);
      else this.#reject(error);
    });
    this.emitDestroy();
  }

  abort(reason: unknown): void {
    this.done(new PiscinaAbortError(reason));
  }
}
