import type { Transferred, Unwrapped } from '../protocol/transfer.js';
import type { TaskContext } from '../worker/context.js';
import type { RunOptions } from './task.js';

/** Any module of task functions; what an untyped `Pool` assumes. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTaskModule = Record<string, (argument: any, context: TaskContext) => unknown>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/**
 * The tasks of a module type such as `typeof import('./tasks.js')`: its
 * exported functions, and the functions of a default-exported object
 * (a CommonJS `module.exports = { ... }`).
 */
export type TasksOf<M> = {
  [K in keyof M as K extends 'default' ? (M[K] extends AnyFunction ? K : never) : M[K] extends AnyFunction ? K : never]: M[K];
} & (M extends { default: infer D } ? (D extends AnyFunction ? unknown : { [K in keyof D as D[K] extends AnyFunction ? K : never]: D[K] }) : unknown);

/** The names `pool.run()` accepts. */
export type TaskName<M> = keyof TasksOf<M> & string;

type TaskFunctionOf<M, K extends TaskName<M>> = TasksOf<M>[K] extends AnyFunction ? TasksOf<M>[K] : never;

/** The argument type of task `K`. */
export type TaskArgument<M, K extends TaskName<M>> = Parameters<TaskFunctionOf<M, K>> extends [] ? undefined : Parameters<TaskFunctionOf<M, K>>[0];

/** What `pool.run(K, ...)` resolves to: the awaited return value, unwrapped from `transfer()`. */
export type TaskResult<M, K extends TaskName<M>> = Unwrapped<Awaited<ReturnType<TaskFunctionOf<M, K>>>>;

/** The rest of `pool.run(name, ...)`: the argument (optional when the task takes none), then options. */
export type RunArguments<M, K extends TaskName<M>> =
  undefined extends TaskArgument<M, K>
    ? [argument?: TaskArgument<M, K> | Transferred<TaskArgument<M, K>>, options?: RunOptions]
    : [argument: TaskArgument<M, K> | Transferred<TaskArgument<M, K>>, options?: RunOptions];
