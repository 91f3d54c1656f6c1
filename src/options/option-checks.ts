import { invalidOption } from './expectations.js';

/** The checks that pool options share; each throws ERR_INVALID_OPTION through expectations.ts. */

export function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) invalidOption(name, 'a finite number >= 0', value);
  return value;
}

export function optionalDuration(name: string, value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalidOption(name, 'a finite number > 0', value);
  return value;
}

export function count(name: string, value: number | undefined, fallback: number, allowInfinity: boolean): number {
  if (value === undefined) return fallback;
  const valid = typeof value === 'number' && value >= 0 && (Number.isInteger(value) || (allowInfinity && value === Infinity));
  if (!valid) invalidOption(name, allowInfinity ? 'an integer >= 0 or Infinity' : 'an integer >= 0', value);
  return value;
}

export function positiveDuration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) invalidOption(name, 'a finite number > 0', value);
  return value;
}

export function positiveCount(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const valid = typeof value === 'number' && value >= 1 && (Number.isInteger(value) || value === Infinity);
  if (!valid) invalidOption(name, 'an integer >= 1 or Infinity', value);
  return value;
}

export function optionalFunction<F>(name: string, value: F | undefined): F | undefined {
  if (value !== undefined && typeof value !== 'function') invalidOption(name, 'a function', value);
  return value;
}
