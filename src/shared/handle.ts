import { failArgument } from './validate.js';

/**
 * What crosses into a task for a structure: plain data around its
 * `SharedArrayBuffer`, which Spindle shares (never copies). A class instance
 * would arrive as a plain object without its methods, so structures are sent
 * as `structure.toHandle()` and rebuilt with `Structure.from(handle)`.
 */
export interface Handle<Kind extends string> {
  readonly kind: Kind;
  readonly buffer: SharedArrayBuffer;
}

/** The handle checked: ERR_INVALID_ARGUMENT unless it is `{ kind, buffer }` of at least `minBytes`. */
export function checkHandle<Kind extends string>(handle: unknown, kind: Kind, from: string, minBytes: number): asserts handle is Handle<Kind> {
  const candidate = handle as Partial<Handle<string>> | null | undefined;
  if (typeof handle !== 'object' || candidate === null || candidate === undefined || candidate.kind !== kind || !(candidate.buffer instanceof SharedArrayBuffer)) {
    failArgument('handle', `the result of ${from}.toHandle() ({ kind: '${kind}', buffer: SharedArrayBuffer })`, handle);
  }
  if (candidate.buffer.byteLength < minBytes) {
    failArgument('handle.buffer', `a SharedArrayBuffer of at least ${String(minBytes)} bytes for a ${from}`, candidate.buffer.byteLength);
  }
}

let adopted: SharedArrayBuffer | undefined;

/** Runs a constructor that will take `buffer` (through {@link takeAdopted}) instead of allocating memory. */
export function adopt<T>(buffer: SharedArrayBuffer, construct: () => T): T {
  adopted = buffer;
  try {
    return construct();
  } finally {
    adopted = undefined;
  }
}

/** The buffer `from(handle)` passes to the constructor it calls, or undefined for `new X()`. */
export function takeAdopted(): SharedArrayBuffer | undefined {
  const buffer = adopted;
  adopted = undefined;
  return buffer;
}
