import { move } from 'piscina';
import { spin } from './tasks.js';

export { noop, fib, fibTimed, spin } from './tasks.js';

export function quickJob(microseconds: number): number {
  return spin(microseconds);
}

export function slowJob(microseconds: number): number {
  return spin(microseconds);
}

/** Piscina moves a returned value wrapped with `move()`. */
export function echoBuffer(buffer: ArrayBuffer): unknown {
  return move(buffer);
}
