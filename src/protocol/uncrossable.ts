/** How deep and how many values the search looks at: a bound on its cost for a large argument. */
const MAX_DEPTH = 8;
const MAX_VALUES = 10_000;

/**
 * The first value in `message` that cannot cross to another process — a
 * SharedArrayBuffer (or a view on one) or a MessagePort — named, or
 * undefined. Searches arrays, plain objects, Maps and Sets to MAX_DEPTH.
 * (Node's IPC refuses a SharedArrayBuffer itself, but would turn a
 * MessagePort into an empty object: never silently wrong.)
 */
export function findUncrossable(message: unknown): string | undefined {
  let visited = 0;
  const visit = (value: unknown, depth: number): string | undefined => {
    if (typeof value !== 'object' || value === null || ++visited > MAX_VALUES) return undefined;
    if (value instanceof SharedArrayBuffer) return 'SharedArrayBuffer';
    if (ArrayBuffer.isView(value)) return value.buffer instanceof SharedArrayBuffer ? `${value.constructor.name} on a SharedArrayBuffer` : undefined;
    if (value instanceof MessagePort) return 'MessagePort';
    if (depth >= MAX_DEPTH) return undefined;
    const children: Iterable<unknown> = Array.isArray(value)
      ? value
      : value instanceof Map
        ? [...value.keys(), ...value.values()]
        : value instanceof Set
          ? value
          : Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
            ? Object.values(value)
            : [];
    for (const child of children) {
      const found = visit(child, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return visit(message, 0);
}
