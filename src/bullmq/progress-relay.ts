/**
 * A task's `context.progress(value)` and `context.emit(event, data)` calls,
 * relayed to `job.updateProgress()` one at a time and in order (BullMQ
 * stores the value on the job and publishes a `progress` event, which the
 * producer reads). Progress is a state: while one update is on its way to
 * Redis, a newer progress value replaces a queued one that has not been
 * sent. Events are never dropped. An event travels as
 * `{ "$spindle:event": name, "data": data }`.
 */
import type { JobProgress } from 'bullmq';
import { encodeValue } from './codec.js';

/** The key that marks a progress update as an event from `context.emit()`. */
export const EVENT_KEY = '$spindle:event';

interface Update {
  readonly kind: 'progress' | 'event';
  payload: unknown;
}

export class ProgressRelay {
  readonly #send: (progress: JobProgress) => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  readonly #pending: Update[] = [];
  #sending: Promise<void> | undefined;

  constructor(send: (progress: JobProgress) => Promise<unknown>, onError: (error: unknown) => void) {
    this.#send = send;
    this.#onError = onError;
  }

  progress(value: unknown): void {
    const payload = this.#encode(value);
    if (payload === undefined) return;
    const last = this.#pending.at(-1);
    if (last?.kind === 'progress') last.payload = payload.value;
    else this.#pending.push({ kind: 'progress', payload: payload.value });
    this.#pump();
  }

  event(name: string, data: unknown): void {
    const payload = this.#encode(data);
    if (payload === undefined) return;
    this.#pending.push({ kind: 'event', payload: { [EVENT_KEY]: name, data: payload.value } });
    this.#pump();
  }

  /** Resolves once every update so far has been sent (or failed, and been reported). */
  async flush(): Promise<void> {
    while (this.#sending !== undefined) await this.#sending;
  }

  #encode(value: unknown): { readonly value: unknown } | undefined {
    try {
      return { value: encodeValue(value) };
    } catch (error) {
      this.#onError(error);
      return undefined;
    }
  }

  #pump(): void {
    if (this.#sending !== undefined) return;
    this.#sending = (async () => {
      for (let update = this.#pending.shift(); update !== undefined; update = this.#pending.shift()) {
        try {
          await this.#send(update.payload as JobProgress);
        } catch (error) {
          this.#onError(error);
        }
      }
      this.#sending = undefined;
    })();
  }
}
