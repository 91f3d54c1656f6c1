/** What task modules import: `import { transfer, type TaskContext } from 'spindle/worker'`. */
export { transfer, move, ownedCopy, type Movable, type Transferred } from '../protocol/transfer.js';
export { NotMovableError } from '../errors.js';
export type { TaskContext } from '../protocol/task-context.js';
export { workerData } from './worker-data.js';
export type { WorkerSetup, WorkerSetupContext, WorkerTeardown } from '../protocol/task-context.js';
