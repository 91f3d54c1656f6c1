/**
 * The task module of the pool battle test. Every task first counts its
 * execution in the caller's shared buffer, so the caller knows how often
 * each task body really ran, whatever the pool reports.
 */
import type { TaskContext } from 'spindle/worker';
import { EXIT_FAULT_CODE, OWN_ERROR_CODES, type Fault } from './faults.js';
import { countExecution, crunch, spinFor, type CrunchResult, type ExecutionCounter } from './work.js';

export interface CrunchRequest {
  readonly counter: ExecutionCounter;
  readonly seed: number;
  readonly rounds: number;
  readonly width: number;
}

/** CPU work of a given size; the caller checks the result against `crunch()` run inline. */
export function compute(request: CrunchRequest): CrunchResult {
  countExecution(request.counter);
  return crunch(request.seed, request.rounds, request.width);
}

/** A small task for the heavy-load and mixed scenarios (a name of its own, so the pool learns its size apart). */
export function tick(request: CrunchRequest): number {
  countExecution(request.counter);
  return crunch(request.seed, request.rounds, 0).checksum;
}

export interface SpinRequest {
  readonly counter: ExecutionCounter;
  readonly ms: number;
  /** Checks `context.throwIfAborted()` while spinning, so an abort stops it at once. */
  readonly cooperative: boolean;
}

/** Keeps its worker busy for `ms` milliseconds; returns the execution number. */
export function spin(request: SpinRequest, context: TaskContext): number {
  const execution = countExecution(request.counter);
  spinFor(request.ms, request.cooperative ? () => { context.throwIfAborted(); } : undefined);
  return execution;
}

/** A long task of the mixed scenario: the same as `spin`, under a name the pool estimates apart. */
export function longSpin(request: SpinRequest, context: TaskContext): number {
  return spin(request, context);
}

/** A task of the priority scenario: the same as `spin`, under a name of its own. */
export function prioritised(request: SpinRequest, context: TaskContext): number {
  return spin(request, context);
}

export interface HoldRequest {
  readonly counter: ExecutionCounter;
  /** Int32 slot 0: the caller stores 1 and notifies to release every holder. */
  readonly gate: SharedArrayBuffer;
  readonly maxMs: number;
}

/** Holds its worker until the caller opens the gate (or `maxMs` passes). */
export function hold(request: HoldRequest): 'released' | 'timed out' {
  countExecution(request.counter);
  const gate = new Int32Array(request.gate);
  const result = Atomics.wait(gate, 0, 0, request.maxMs);
  return result === 'timed-out' ? 'timed out' : 'released';
}

export interface FaultyRequest {
  readonly counter: ExecutionCounter;
  /** What each execution does: faults[0] the first, faults[1] a retry, …; 'none' past the end. */
  readonly faults: readonly Fault[];
  readonly seed: number;
  readonly rounds: number;
}

class BattleError extends Error {
  readonly code: string;

  constructor(message: string, code: string) {
    super(message);
    this.name = 'BattleError';
    this.code = code;
  }
}

/**
 * Commits the fault planned for this execution, or computes
 * `crunch(seed, rounds, 0)` if none. Synchronous unless the fault needs the
 * event loop (a rejection, a timer), like most CPU tasks: its results are
 * held back and sent in batches like theirs.
 */
export function faulty(request: FaultyRequest, context: TaskContext): number | Promise<number> {
  const execution = countExecution(request.counter);
  const fault = request.faults[execution - 1] ?? 'none';
  switch (fault) {
    case 'none':
      return crunch(request.seed, request.rounds, 0).checksum;
    case 'throw':
      throw new BattleError('the input is not valid', OWN_ERROR_CODES.throw);
    case 'reject':
      return new Promise((_, reject) => {
        setImmediate(() => { reject(new BattleError('rejected after a turn of the event loop', OWN_ERROR_CODES.reject)); });
      });
    case 'throw-getter': {
      const error = new BattleError('an error with a property that cannot be read', OWN_ERROR_CODES['throw-getter']);
      Object.defineProperty(error, 'details', {
        enumerable: true,
        get() {
          throw new Error('this getter throws');
        },
      });
      throw error;
    }
    case 'exit':
      process.exit(EXIT_FAULT_CODE);
      break;
    case 'uncaught':
      setTimeout(() => {
        throw new Error('thrown from a timer while the task waits');
      }, 1);
      return sleep(10_000);
    case 'unhandled':
      void Promise.reject(new Error('a rejection nobody handles'));
      return sleep(10_000);
    case 'out-of-memory':
      return allocateUntilTheHeapLimit();
    case 'hang':
      for (;;) {
        // Deaf to every request to stop: only ending the worker stops it.
      }
    case 'hang-cooperative':
      for (;;) context.throwIfAborted();
  }
  const unknownFault: unknown = fault;
  throw new Error(`unknown fault ${String(unknownFault)}`);
}

/**
 * Many small objects, never one huge array: on Node 20 one array grown past
 * `resourceLimits` can abort the whole process (a V8 limitation), while small
 * objects make V8 report out-of-memory for this worker alone.
 */
function allocateUntilTheHeapLimit(): never {
  const hoard: unknown[] = [];
  for (let index = 0; ; index++) hoard.push([index, index + 1, `item ${String(index)}`]);
}

function sleep(ms: number): Promise<number> {
  return new Promise((resolve) => setTimeout(() => { resolve(ms); }, ms));
}
