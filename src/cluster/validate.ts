import { InvalidOptionError } from '../index.js';

/** What a value is, for messages: `` `-1` (number) ``. */
export function describe(value: unknown): string {
  let shown: string;
  try {
    const json = JSON.stringify(value) as string | undefined; // undefined for undefined, functions and symbols
    shown = typeof value === 'string' ? value : typeof value === 'function' ? 'a function' : (json ?? String(value));
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return `\`${shown}\` (${value === null ? 'null' : typeof value})`;
}

/** Throws ERR_INVALID_OPTION in the core's format: "Expected `name` to be what, got `value` (type)". */
export function fail(name: string, what: string, value: unknown): never {
  throw new InvalidOptionError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
}

/** Checks of one option each; every one returns the value it accepted. */
export const expect = {
  positiveInteger(name: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) fail(name, 'an integer >= 1', value);
    return value;
  },
  /** A duration in milliseconds, > 0 (or >= 0 with `allowZero`). */
  duration(name: string, value: unknown, allowZero = false): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) fail(name, allowZero ? 'a finite number >= 0' : 'a finite number > 0', value);
    return value;
  },
  boolean(name: string, value: unknown): boolean {
    if (typeof value !== 'boolean') fail(name, 'a boolean', value);
    return value;
  },
  port(name: string, value: unknown): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 65_535) fail(name, 'an integer from 0 to 65535', value);
    return value;
  },
  string(name: string, value: unknown): string {
    if (typeof value !== 'string' || value === '') fail(name, 'a non-empty string', value);
    return value;
  },
  strings(name: string, value: unknown): readonly string[] {
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) fail(name, 'an array of strings', value);
    return Object.freeze([...value]);
  },
};
