/** What task modules import: `import { transfer, type TaskContext } from 'spindle/worker'`. */
export { transfer, type Transferred } from '../protocol/transfer.js';
export type { TaskContext } from './context.js';
