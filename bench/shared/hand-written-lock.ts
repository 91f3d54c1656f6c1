/**
 * The baseline: the lock every tutorial on SharedArrayBuffer builds by hand,
 * Drepper's futex mutex ("Futexes Are Tricky", mutex 3) with a short spin
 * before sleeping. 0 free, 1 locked, 2 locked with sleepers. No holder
 * record, no timeout, no re-entrance check, no main-thread guard.
 */
export class HandWrittenLock {
  readonly #view: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.#view = new Int32Array(buffer, 0, 1);
  }

  lock(): void {
    const view = this.#view;
    let state = Atomics.compareExchange(view, 0, 0, 1);
    if (state === 0) return;
    for (let spin = 0; spin < 64; spin++) {
      if (Atomics.load(view, 0) === 0 && (state = Atomics.compareExchange(view, 0, 0, 1)) === 0) return;
    }
    if (state !== 2) state = Atomics.exchange(view, 0, 2);
    while (state !== 0) {
      Atomics.wait(view, 0, 2);
      state = Atomics.exchange(view, 0, 2);
    }
  }

  unlock(): void {
    if (Atomics.exchange(this.#view, 0, 0) === 2) Atomics.notify(this.#view, 0, 1);
  }
}
