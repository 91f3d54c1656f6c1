import { InvalidArgumentError, InvalidOptionError } from '../errors.js';

/**
 * Every message about a wrong option or argument, in one format (p-queue's):
 * "Expected `threads` to be an integer >= 1, got `0` (number)".
 */
export function expectationMessage(name: string, expected: string, given: unknown, kind?: string): string {
  return `Expected \`${name}\` to be ${expected}, got \`${show(given)}\` (${kind ?? typeName(given)})`;
}

/** A wrong option of `new Pool()`: ERR_INVALID_OPTION. */
export function invalidOption(name: string, expected: string, given: unknown, kind?: string): never {
  throw new InvalidOptionError(expectationMessage(name, expected, given, kind));
}

/** A wrong argument or per-call option of a method: ERR_INVALID_ARGUMENT. */
export function invalidArgument(name: string, expected: string, given: unknown, kind?: string): never {
  throw new InvalidArgumentError(expectationMessage(name, expected, given, kind));
}

function show(value: unknown): string {
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'object' && value !== null) {
    try {
      return JSON.stringify(value);
    } catch {
      return Object.prototype.toString.call(value);
    }
  }
  return String(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
