// tasks.ts: the task module, unchanged from a local pool
import { createHash } from 'node:crypto';
import type { TaskContext } from 'spindle/worker';

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function sha256(data: Uint8Array, context: TaskContext): string {
  context.progress(data.byteLength);
  return createHash('sha256').update(data).digest('hex');
}
