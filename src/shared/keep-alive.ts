/**
 * `Atomics.waitAsync()` does not keep Node's event loop alive: a program whose
 * only pending work is `await mutex.lock()` would exit with the lock never
 * taken and the code after the `await` never run. While any async wait of
 * this thread is pending, one referenced timer keeps the loop alive (one
 * for all waits, so a wait costs a counter increment, not a timer).
 */
let pendingWaits = 0;
let timer: ReturnType<typeof setInterval> | undefined;

const nothing = (): void => undefined;
const LONGEST_INTERVAL_MS = 2 ** 31 - 1;

export function holdEventLoop(): void {
  if (pendingWaits++ === 0) timer = setInterval(nothing, LONGEST_INTERVAL_MS);
}

export function releaseEventLoop(): void {
  if (--pendingWaits === 0) {
    clearInterval(timer);
    timer = undefined;
  }
}
