import { setTimeout as delay } from 'node:timers/promises';
import type { TaskContext } from 'spindle/worker';

/** Stands in for a real resize: takes `delayMs`, and stops when the pool cancels it. */
export async function resize(image: { readonly width: number; readonly delayMs: number }, context: TaskContext): Promise<number> {
  await delay(image.delayMs, undefined, { signal: context.signal });
  return image.width / 2;
}
