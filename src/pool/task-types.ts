import type { MessagePort } from 'node:worker_threads';
import type { Transferred, Unwrapped } from '../protocol/transfer.js';
import type { LifecycleExport, TaskContext } from '../protocol/task-context.js';
import type { RunOptions } from '../scheduler/run-settings.js';

/** Any module of task functions; what an untyped `Pool` assumes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskModule = Record<string, (argument: any, context: TaskContext) => unknown>;

/** Any function, whatever its parameters. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFunction = (...args: any[]) => unknown;

/**
 * The tasks of a module type such as `typeof import('./tasks.js')`: its
 * exported functions, and the functions of a default-exported object
 * (a CommonJS `module.exports = { ... }`), except `setup` and `teardown`.
 */
export type TasksOf<M> = {
  [K in keyof M as K extends LifecycleExport ? never : K extends 'default' ? (M[K] extends AnyFunction ? K : never) : M[K] extends AnyFunction ? K : never]: M[K];
} & (M extends { default: infer D } ? (D extends AnyFunction ? unknown : { [K in keyof D as K extends LifecycleExport ? never : D[K] extends AnyFunction ? K : never]: D[K] }) : unknown);



/** The names `pool.run()` accepts. */
export type TaskName<M> = keyof TasksOf<M> & string;

/** The function of task `K`. */
export type TaskFunctionOf<M, K extends TaskName<M>> = TasksOf<M>[K] extends AnyFunction ? TasksOf<M>[K] : never;

/** The argument type of task `K`, as the task declares it. */
export type TaskArgument<M, K extends TaskName<M>> = Parameters<TaskFunctionOf<M, K>> extends [] ? undefined : Parameters<TaskFunctionOf<M, K>>[0];

/**
 * What `pool.run(K, ...)` resolves to: the awaited return value, unwrapped
 * from `transfer()`, as it arrives after crossing from the worker
 * (see {@link Cloned}: a `Buffer` arrives as a `Uint8Array`).
 */
export type TaskResult<M, K extends TaskName<M>> = Cloned<Unwrapped<Awaited<ReturnType<TaskFunctionOf<M, K>>>>>;

/**
 * What a value becomes once it crosses between threads (structured clone).
 * A Node `Buffer` arrives as a plain `Uint8Array` (its prototype is not
 * cloned, so `buffer.toString('base64')` would quietly call
 * `Uint8Array#toString()`); a class instance arrives as a plain object of
 * its own fields, without methods; functions cannot cross at all. Arrays,
 * plain objects, `Map` and `Set` are mapped member by member; typed arrays,
 * `ArrayBuffer`, `Date`, `RegExp`, `Error`, `Blob`, ports, web streams and
 * primitives stay as they are.
 */
export type Cloned<T> = 0 extends 1 & T
  ? T
  : unknown extends T
    ? T
    : T extends Buffer
      ? Uint8Array
      : T extends ArrayBufferLike | ArrayBufferView | Date | RegExp | Error | Blob | MessagePort | ReadableStream | WritableStream | TransformStream
        ? T
        : T extends ReadonlyMap<infer Key, infer Value>
          ? Map<Cloned<Key>, Cloned<Value>>
          : T extends ReadonlySet<infer Value>
            ? Set<Cloned<Value>>
            : T extends readonly unknown[]
              ? { [Index in keyof T]: Cloned<T[Index]> }
              : T extends AnyFunction
                ? never
                : T extends object
                  ? { [Key in keyof T as T[Key] extends AnyFunction ? never : Key]: Cloned<T[Key]> }
                  : T;

/**
 * Stands in for the argument of a task whose parameter type its worker can
 * never receive: the compiler then reports this name at the `pool.run()` call.
 */
export interface ParameterNeverArrives<Declared> {
  /** Declare the parameter as what arrives (for a `Buffer`, a `Uint8Array`), or rebuild the instance in the task. */
  readonly 'the task declares a parameter type that does not survive the trip to its worker; it receives this instead': Cloned<Declared>;
}

/**
 * The argument `pool.run(K, …)` accepts: the task's parameter type, when what
 * arrives in the worker (its clone) still is one. A task declaring
 * `(image: Buffer)` would get a `Uint8Array`, so calling it does not compile.
 */
export type SendableArgument<M, K extends TaskName<M>> = [Cloned<TaskArgument<M, K>>] extends [TaskArgument<M, K>] ? TaskArgument<M, K> : ParameterNeverArrives<TaskArgument<M, K>>;

/** The rest of `pool.run(name, ...)`: the argument (optional when the task takes none), then options. */
export type RunArguments<M, K extends TaskName<M>> =
  undefined extends TaskArgument<M, K>
    ? [argument?: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: RunOptions]
    : [argument: SendableArgument<M, K> | Transferred<SendableArgument<M, K>>, options?: RunOptions];
