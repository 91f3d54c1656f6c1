import { Tinypool } from 'tinypool';
import { spin } from './tasks.js';

export { noop, fib, fibTimed, spin } from './tasks.js';

export function quickJob(microseconds: number): number {
  return spin(microseconds);
}

export function slowJob(microseconds: number): number {
  return spin(microseconds);
}

/** Tinypool moves a returned value wrapped with `Tinypool.move()`. */
export function echoBuffer(buffer: ArrayBuffer): unknown {
  return Tinypool.move(buffer);
}
