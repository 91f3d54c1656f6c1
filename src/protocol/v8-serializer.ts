/**
 * V8's structured-clone serializer (`node:v8`), loaded the first time a
 * value needs it. Most workers never do: every message of a process worker
 * that JSON carries as it is, and every value a thread's ring writes in its
 * own tags, goes without it. Loading `node:v8` cost a Node 24 process worker
 * 0.9–1.9 ms of its start (Node 20 has it loaded already for its IPC).
 */
type V8 = Pick<typeof import('node:v8'), 'serialize' | 'deserialize'>;

let v8: V8 | undefined;

function load(): V8 {
  return (v8 ??= process.getBuiltinModule('node:v8'));
}

export function serialize(value: unknown): Buffer {
  return load().serialize(value);
}

export function deserialize(bytes: Uint8Array): unknown {
  return load().deserialize(bytes);
}
