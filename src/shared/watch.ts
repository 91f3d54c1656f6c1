/**
 * Waiting for a value to change: the counter's and the flag's memory starts
 * with a change sequence and a count of sleepers (slots.ts, WATCHED).
 *
 * A changer modifies the value, then, only if someone sleeps, bumps CHANGES
 * and wakes everyone. A waiter counts itself in WAITERS, reads CHANGES, tests
 * the value, and sleeps on CHANGES with what it read. All of these are
 * sequentially consistent atomics, so either the changer sees the waiter
 * counted (and bumps CHANGES, which ends or prevents its sleep), or the
 * waiter's test sees the new value.
 */
import { WATCHED } from './slots.js';
import { blockOnce, waitOnce, type Deadline } from './wait.js';

/** Called after every change of the value: wakes the sleepers, if any. */
export function announceChange(header: Int32Array): void {
  if (Atomics.load(header, WATCHED.WAITERS) === 0) return;
  Atomics.add(header, WATCHED.CHANGES, 1);
  Atomics.notify(header, WATCHED.CHANGES, Infinity);
}

/** Blocks until `test()` returns something other than undefined, and returns it (worker threads only). */
export function blockUntil<T>(header: Int32Array, test: () => T | undefined, deadline: Deadline | undefined): T {
  Atomics.add(header, WATCHED.WAITERS, 1);
  try {
    for (;;) {
      const seen = Atomics.load(header, WATCHED.CHANGES);
      const result = test();
      if (result !== undefined) return result;
      blockOnce(header, WATCHED.CHANGES, seen, deadline);
    }
  } finally {
    Atomics.sub(header, WATCHED.WAITERS, 1);
  }
}

/** Resolves when `test()` returns something other than undefined, with it, never blocking the thread. */
export async function waitUntil<T>(header: Int32Array, test: () => T | undefined, deadline: Deadline | undefined): Promise<T> {
  Atomics.add(header, WATCHED.WAITERS, 1);
  try {
    for (;;) {
      const seen = Atomics.load(header, WATCHED.CHANGES);
      const result = test();
      if (result !== undefined) return result;
      await waitOnce(header, WATCHED.CHANGES, seen, deadline);
    }
  } finally {
    Atomics.sub(header, WATCHED.WAITERS, 1);
  }
}
