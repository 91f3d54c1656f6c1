/**
 * How the soak counts each task's runs: a shared Int32 per slot for threads,
 * or one line per run in a file for processes (which share no memory with
 * the host). A file is read once, at the end, so its checks are deferred.
 */
import type { RunCounter } from '../fixtures/fault-tasks.js';
import { FileRunCounter } from '../isolation/process-helpers.js';

export interface RunCounts {
  /** What a counting task takes to count a run of `slot` (zeroed first). */
  counter(slot: number): RunCounter;
  /** The runs of `slot` so far, or undefined when they can only be counted at the end (`final()`). */
  runs(slot: number): number | undefined;
  /** Every slot's runs, read at the end. */
  final(): ReadonlyMap<number, number>;
  dispose(): void;
}

export function sharedRunCounts(slots: number): RunCounts {
  const buffer = new SharedArrayBuffer(slots * Int32Array.BYTES_PER_ELEMENT);
  const counts = new Int32Array(buffer);
  return {
    counter(slot) {
      Atomics.store(counts, slot % slots, 0);
      return { counters: buffer, index: slot % slots };
    },
    runs: (slot) => Atomics.load(counts, slot % slots),
    final: () => new Map(),
    dispose: () => undefined,
  };
}

export function fileRunCounts(): RunCounts {
  const counter = new FileRunCounter();
  return {
    counter: (slot) => ({ file: counter.file, index: slot }),
    runs: () => undefined,
    final: () => counter.all(),
    dispose() {
      counter.dispose();
    },
  };
}
