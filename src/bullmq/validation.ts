/**
 * The one format of the fleet's messages about wrong input, as the core's:
 * "Expected `maxInFlight` to be an integer >= 1 or Infinity, got `0` (number)".
 */
import { InvalidArgumentError, InvalidOptionError } from '../index.js';

function message(name: string, expected: string, given: unknown): string {
  let shown: string;
  try {
    shown = typeof given === 'object' && given !== null ? JSON.stringify(given) : String(given);
  } catch {
    shown = Object.prototype.toString.call(given);
  }
  return `Expected \`${name}\` to be ${expected}, got \`${shown}\` (${given === null ? 'null' : typeof given})`;
}

/** Throws ERR_INVALID_ARGUMENT: a wrong argument or option of a call. */
export function invalid(name: string, expected: string, given: unknown): never {
  throw new InvalidArgumentError(message(name, expected, given));
}

/** Throws ERR_INVALID_OPTION: a wrong option of `new QueuePool()` or `serveQueue()`. */
export function invalidOption(name: string, expected: string, given: unknown): never {
  throw new InvalidOptionError(message(name, expected, given));
}
