/**
 * One 'abort' listener per signal, however many pending tasks share it: a
 * signal shared by thousands of tasks neither trips Node's
 * MaxListenersExceededWarning nor pays one listener per task. The listener
 * is removed as soon as the last task using the signal settles.
 */
export class AbortRegistry<T> {
  readonly #entries = new Map<AbortSignal, { readonly items: Set<T>; readonly listener: () => void }>();
  readonly #onAbort: (item: T) => void;

  constructor(onAbort: (item: T) => void) {
    this.#onAbort = onAbort;
  }

  add(signal: AbortSignal, item: T): void {
    let entry = this.#entries.get(signal);
    if (entry === undefined) {
      const items = new Set<T>();
      const listener = (): void => {
        this.#entries.delete(signal);
        for (const pending of [...items]) this.#onAbort(pending);
      };
      entry = { items, listener };
      this.#entries.set(signal, entry);
      signal.addEventListener('abort', listener, { once: true });
    }
    entry.items.add(item);
  }

  delete(signal: AbortSignal, item: T): void {
    const entry = this.#entries.get(signal);
    if (entry === undefined || !entry.items.delete(item) || entry.items.size > 0) return;
    this.#entries.delete(signal);
    signal.removeEventListener('abort', entry.listener);
  }
}
