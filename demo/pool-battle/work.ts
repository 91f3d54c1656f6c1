/**
 * The work of the pool battle test, as plain functions: the task module
 * (battle-tasks.ts) runs them in the workers, and the scenarios run the same
 * functions inline to check the workers' results.
 */

/** Where a task counts its executions: one Int32 slot of a shared buffer, written with Atomics. */
export interface ExecutionCounter {
  readonly counters: SharedArrayBuffer;
  readonly slot: number;
}

/** Counts one more execution of a task body; returns how many there have been, this one included. */
export function countExecution(counter: ExecutionCounter): number {
  return Atomics.add(new Int32Array(counter.counters), counter.slot, 1) + 1;
}

export function executionsOf(counter: ExecutionCounter): number {
  return Atomics.load(new Int32Array(counter.counters), counter.slot);
}

export interface CrunchResult {
  readonly checksum: number;
  /** `width` numbers derived from the checksum: results of different sizes travel back. */
  readonly digest: readonly number[];
}

/**
 * Deterministic CPU work: `rounds` steps of an integer mix, the same result
 * on every thread. About 2 ms per million rounds here.
 */
export function crunch(seed: number, rounds: number, width: number): CrunchResult {
  let state = seed | 0;
  for (let round = 0; round < rounds; round++) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d);
    state = (state + round) | 0;
    state ^= state >>> 12;
  }
  const digest: number[] = [];
  let value = state;
  for (let index = 0; index < width; index++) {
    value = Math.imul(value ^ (value >>> 13), 0x5bd1e995) | 0;
    digest.push(value);
  }
  return { checksum: state, digest };
}

/** Keeps the thread busy for `ms` milliseconds (wall time), polling `stop` between slices if given. */
export function spinFor(ms: number, stop?: () => void): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    stop?.();
    crunch(1, 2_000, 0);
  }
}

/** A small deterministic pseudo-random generator (mulberry32), so every run submits the same mix. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
}
