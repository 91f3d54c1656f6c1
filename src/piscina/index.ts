/**
 * spindle/piscina: piscina 5's API on Spindle's engine. Change
 * `import Piscina from 'piscina'` to `import Piscina from 'spindle/piscina'`;
 * docs/migrating-from-piscina.md lists what differs.
 */
import { Piscina, version } from './piscina.js';
import { inPoolWorker, poolWorkerData } from './worker-state.js';

export default Piscina;
export { Piscina, version };
export { move } from './movable.js';
export { FixedQueue, ArrayTaskQueue } from './queues.js';
export { transferableSymbol, valueSymbol, queueOptionsSymbol } from './symbols.js';
/** Whether this code runs in a worker of a pool. */
export const isWorkerThread: boolean = inPoolWorker();
/** The pool's `workerData` inside its workers; undefined elsewhere. */
export const workerData: unknown = poolWorkerData();
export type { RunOptions, CloseOptions } from './piscina.js';
export type { AbortSignalLike } from './task.js';
export type { PiscinaOptions as Options, FilledOptions } from './options.js';
export type { TaskQueue, Task, PiscinaTask } from './queues.js';
export type { PiscinaWorker, PiscinaLoadBalancer } from './balancer.js';
export type { PiscinaHistogram, PiscinaHistogramSummary } from './histogram.js';
export type { TransferableValue as Transferable } from './movable.js';
