import { SharedArgumentError, SharedOptionError } from './errors.js';

/** A value as messages show it: `` `-1` (number) ``. */
export function describe(value: unknown): string {
  let shown: string;
  try {
    shown =
      typeof value === 'string'
        ? value
        : typeof value === 'function'
          ? `[function ${value.name || 'anonymous'}]`
          : typeof value === 'bigint' || typeof value === 'symbol'
            ? value.toString()
            : value === undefined
              ? 'undefined'
              : JSON.stringify(value);
  } catch {
    shown = Object.prototype.toString.call(value);
  }
  return `\`${shown}\` (${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value})`;
}

/** Throws ERR_INVALID_OPTION in the core's format: "Expected `name` to be what, got `value` (type)". */
export function failOption(name: string, what: string, value: unknown): never {
  throw new SharedOptionError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
}

/** Throws ERR_INVALID_ARGUMENT in the same format. */
export function failArgument(name: string, what: string, value: unknown): never {
  throw new SharedArgumentError(`Expected \`${name}\` to be ${what}, got ${describe(value)}`);
}

/** An integer option within [min, max]. */
export function integerOption(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    failOption(name, `an integer from ${String(min)} to ${String(max)}`, value);
  }
  return value;
}

/** An options argument: undefined or a plain object. */
export function optionsObject<T extends object>(value: T | undefined, what: string): Partial<T> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || (value as unknown) === null) failOption(what, 'an object or undefined', value);
  return value;
}
