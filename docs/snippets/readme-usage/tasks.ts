// tasks.ts: a plain module; every exported function is a task
import { transfer, type TaskContext, type Transferred } from 'spindle/worker';

export function fib(n: number): number {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

export function invert(pixels: Uint8Array, context: TaskContext): Transferred<Uint8Array> {
  context.progress('inverting');
  for (let index = 0; index < pixels.length; index++) {
    if (index % 65_536 === 0) context.throwIfAborted(); // stops when the caller aborts or times out
    pixels[index] = 255 - (pixels[index] ?? 0);
  }
  return transfer(pixels); // moved back, not copied
}
