/**
 * Ring trials: MB/s from one worker thread to another, `chunkBytes` at a
 * time, through a 1 MiB ring or through postMessage with each chunk in a
 * fresh, transferred ArrayBuffer. The reader's clock decides: from the start
 * line to its last byte.
 *
 *   spindle           writeSync(chunk) → readSync(into): a copy in, a copy out (blocking ends)
 *   spindle-in-place  writeSync(chunk) → peekSync() + consume(): a copy in, read in place
 *   spindle-polling   tryWrite / tryRead in a loop, as ringbuf.js is used
 *   ringbuf.js        push(chunk) / pop(into) in a loop (it has no blocking ends)
 *   postMessage       a fresh buffer filled with the chunk, transferred (moved, not copied)
 */
import { once } from 'node:events';
import { MessageChannel, Worker } from 'node:worker_threads';
import { RingBuffer } from 'ringbuf.js';
import { ByteChannel } from 'spindle/shared';
import type { RingVariant, RingWorkerData } from './ring-worker.js';
import { liftStartLine } from './start-line.js';

export const RING_VARIANTS: readonly RingVariant[] = ['spindle', 'spindle-in-place', 'spindle-polling', 'ringbuf.js', 'postMessage'];
const RING_BYTES = 1024 * 1024;

export async function ringTrial(variant: RingVariant, chunkBytes: number, totalBytes: number): Promise<number> {
  const startLine = new SharedArrayBuffer(4);
  const channel = new ByteChannel({ capacity: RING_BYTES }).toHandle();
  const ringbuf = RingBuffer.getStorageForCapacity(RING_BYTES, Uint8Array);
  const { port1, port2 } = new MessageChannel();
  const start = (role: 'writer' | 'reader', port: typeof port1): Worker => {
    const workerData: RingWorkerData = { variant, role, chunkBytes, totalBytes, startLine, channel, ringbuf, port };
    return new Worker(new URL('./ring-worker.js', import.meta.url), { workerData, transferList: [port] });
  };
  const writer = start('writer', port1);
  const reader = start('reader', port2);
  await Promise.all([once(writer, 'message'), once(reader, 'message')]);
  const finished = once(reader, 'message');
  const written = once(writer, 'message');
  liftStartLine(new Int32Array(startLine));
  const [{ ns, bytes }] = (await finished) as [{ ns: number; bytes: number }];
  await written;
  await Promise.all([writer.terminate(), reader.terminate()]);
  if (bytes !== totalBytes) throw new Error(`${variant}: read ${String(bytes)} of ${String(totalBytes)} bytes`);
  return totalBytes / (1024 * 1024) / (ns / 1e9);
}
