/**
 * Errors cross threads as plain objects so that everything a caller may rely
 * on survives: name, message, stack, code, cause (recursively) and the
 * error's own enumerable properties, as far as they can be cloned.
 */

export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly stack: string | undefined;
  readonly properties: Record<string, unknown>;
  readonly cause?: WireError | { readonly value: unknown };
  readonly isError: boolean;
}

const MAX_CAUSE_DEPTH = 8;

export function toWireError(error: unknown, depth = 0): WireError {
  if (!(error instanceof Error)) {
    return { name: 'Error', message: describe(error), stack: undefined, properties: { value: cloneable(error) }, isError: false };
  }
  const properties: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'cause') continue;
    properties[key] = cloneable((error as unknown as Record<string, unknown>)[key]);
  }
  const wire: WireError = { name: error.name, message: error.message, stack: error.stack, properties, isError: true };
  if ('cause' in error && depth < MAX_CAUSE_DEPTH) {
    const cause: unknown = error.cause;
    return { ...wire, cause: cause instanceof Error ? toWireError(cause, depth + 1) : { value: cloneable(cause) } };
  }
  return wire;
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
  return error;
}

function cloneable(value: unknown): unknown {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function' && typeof value !== 'symbol')) return value;
  try {
    return structuredClone(value);
  } catch {
    return describe(value);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'function') return `[function ${value.name || 'anonymous'}]`;
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
