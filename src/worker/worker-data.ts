/**
 * The pool's `workerData` option, as a live binding for task modules:
 * `import { workerData } from 'spindle/worker'`. (In a thread, Node's own
 * `workerData` from `node:worker_threads` is the same value.) Set before the
 * task module loads, so it can be read at its top level.
 *
 * A worker's script carries its own copy of this module (it is bundled into
 * one file, see scripts/bundle.js), and the task module loads the package's:
 * so the value lives in one slot per thread or process, on `globalThis`, and
 * setting it updates every copy's binding.
 */
interface Slot {
  value: unknown;
  readonly bindings: ((value: unknown) => void)[];
}

const slot: Slot = ((globalThis as Record<symbol, Slot | undefined>)[Symbol.for('spindle.workerData')] ??= { value: undefined, bindings: [] });

export let workerData: unknown = slot.value;
slot.bindings.push((value) => {
  workerData = value;
});

/** Called once by the worker's entry, before it loads the task module. */
export function setWorkerData(value: unknown): void {
  slot.value = value;
  for (const update of slot.bindings) update(value);
}
