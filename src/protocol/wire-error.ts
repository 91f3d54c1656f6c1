/**
 * Errors cross threads as plain objects so that everything a caller may rely
 * on survives: name, message, stack, code, cause (recursively) and the
 * error's own enumerable properties, as far as they can be cloned.
 *
 * Reading an error must never throw: a task may throw an object whose
 * getters throw, or a revoked Proxy. What can be read is kept; what cannot
 * is replaced by a marker string (`[unreadable: TypeError: …]`) and its name
 * listed in `unreadable`, so the task still settles with its own failure.
 */

// process.getBuiltinModule, not an import: each ES-module import of a built-in adds about half a millisecond to a worker's start (eslint.config.js).
const { types } = process.getBuiltinModule('node:util');

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly properties: Record<string, unknown>;
  readonly cause?: WireError | { readonly value: unknown };
  readonly isError: boolean;
  /** Fields whose reading threw (`message`, `stack`, a property name, `cause`, `keys`). */
  readonly unreadable?: readonly string[];
}

const MAX_CAUSE_DEPTH = 8;

export function toWireError(error: unknown, depth = 0): WireError {
  if (!isErrorSafe(error)) {
    return { name: 'Error', message: describe(error), stack: undefined, properties: { value: cloneable(error) }, isError: false };
  }
  const unreadable: string[] = [];
  const read = (field: string, get: () => unknown): unknown => {
    try {
      return get();
    } catch (reason) {
      unreadable.push(field);
      return `[unreadable: ${describe(reason)}]`;
    }
  };
  const properties: Record<string, unknown> = {};
  const keys = read('keys', () => Object.keys(error));
  if (Array.isArray(keys)) {
    for (const key of keys as string[]) {
      if (key === 'cause') continue;
      properties[key] = cloneable(read(key, () => (error as unknown as Record<string, unknown>)[key]));
    }
  }
  const name = read('name', () => error.name);
  const message = read('message', () => error.message);
  const stack = read('stack', () => error.stack);
  let wire: WireError = {
    name: typeof name === 'string' && !unreadable.includes('name') ? name : 'Error',
    message: typeof message === 'string' ? message : describe(message),
    stack: typeof stack === 'string' ? stack : undefined,
    properties,
    isError: true,
  };
  const hasCause = read('cause', () => 'cause' in error);
  if (hasCause === true && depth < MAX_CAUSE_DEPTH) {
    const cause = read('cause', () => error.cause);
    wire = { ...wire, cause: isErrorSafe(cause) ? toWireError(cause, depth + 1) : { value: cloneable(cause) } };
  }
  return unreadable.length === 0 ? wire : { ...wire, unreadable };
}

const constructors: Readonly<Record<string, ErrorConstructor>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

export function fromWireError(wire: WireError): Error {
  if (!wire.isError) {
    const error = new Error(wire.message);
    Object.assign(error, wire.properties);
    return error;
  }
  const Constructor = constructors[wire.name] ?? Error;
  const error = new Constructor(wire.message);
  if (error.name !== wire.name) {
    Object.defineProperty(error, 'name', { value: wire.name, configurable: true, writable: true, enumerable: false });
  }
  Object.defineProperty(error, 'stack', { value: wire.stack, configurable: true, writable: true, enumerable: false });
  Object.assign(error, wire.properties);
  if (wire.cause !== undefined) {
    const cause = 'name' in wire.cause ? fromWireError(wire.cause) : wire.cause.value;
    Object.defineProperty(error, 'cause', { value: cause, configurable: true, writable: true, enumerable: false });
  }
  if (wire.unreadable !== undefined) {
    Object.defineProperty(error, 'unreadable', { value: wire.unreadable, configurable: true, writable: true, enumerable: false });
  }
  return error;
}

/** An Error, from this realm or another (a `node:vm` context's); false for a revoked Proxy, where the check throws. */
function isErrorSafe(value: unknown): value is Error {
  try {
    return value instanceof Error || types.isNativeError(value);
  } catch {
    return false;
  }
}

function cloneable(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return value;
  try {
    return structuredClone(value);
  } catch {
    return describe(value);
  }
}

/** A string for any value, never throwing. */
export function describe(value: unknown): string {
  try {
    if (typeof value === 'symbol') return value.toString();
    if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
    return String(value);
  } catch {
    if (types.isProxy(value)) return '[unreadable: a revoked Proxy]';
    try {
      return Object.prototype.toString.call(value);
    } catch {
      return `[unreadable ${typeof value}]`;
    }
  }
}
