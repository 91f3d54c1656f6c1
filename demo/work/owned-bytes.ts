/**
 * Returns `bytes` itself when it is the whole of its own ArrayBuffer, else a
 * copy that is. Only such bytes may be moved with `transfer()`: a small Node
 * Buffer is a slice of a shared 8 KiB pool (which Node refuses to move), and
 * a slice of a larger buffer would move its neighbours too.
 */
export function ownedBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const whole = bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  if (whole) return new Uint8Array(bytes.buffer);
  return new Uint8Array(bytes);
}
