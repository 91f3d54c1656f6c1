/**
 * How the soak counts each task's runs: a shared Int32 per slot for threads,
 * or one line per run in a file for processes (which share no memory with
 * the host). A file is read once, at the end, so its checks are deferred.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunCounter } from '../fixtures/fault-tasks.js';

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
  const directory = mkdtempSync(join(tmpdir(), 'spindle-soak-'));
  const file = join(directory, 'runs');
  return {
    counter: (slot) => ({ file, index: slot }),
    runs: () => undefined,
    final() {
      const counts = new Map<number, number>();
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        return counts;
      }
      for (const line of text.split('\n')) {
        if (line !== '') counts.set(Number(line), (counts.get(Number(line)) ?? 0) + 1);
      }
      return counts;
    },
    dispose() {
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
