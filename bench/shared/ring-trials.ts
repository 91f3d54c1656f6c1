/**
 * Ring trials: MB/s from one worker thread to another, `chunkBytes` at a
 * time, through a 1 MiB ring or through postMessage with each chunk in a
 * fresh, transferred ArrayBuffer. Both ends first stream the same bytes once
 * through a second ring or port, untimed, so that every variant is measured
 * warm; then the reader's clock decides: from the start line to its last byte.
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

/** The ends of one pass: a ByteChannel, a ringbuf.js ring and a MessageChannel, each 1 MiB of ring where it has one. */
function makeEnds() {
  return {
    channel: new ByteChannel({ capacity: RING_BYTES }).toHandle(),
    ringbuf: RingBuffer.getStorageForCapacity(RING_BYTES, Uint8Array),
    ports: new MessageChannel(),
  };
}

export async function ringTrial(variant: RingVariant, chunkBytes: number, totalBytes: number): Promise<number> {
  const startLine = new SharedArrayBuffer(4);
  const passes = [makeEnds(), makeEnds()] as const;
  const start = (role: 'writer' | 'reader'): Worker => {
    const [warmUp, measured] = passes.map((pass) => ({ channel: pass.channel, ringbuf: pass.ringbuf, port: role === 'writer' ? pass.ports.port1 : pass.ports.port2 }));
    if (warmUp === undefined || measured === undefined) throw new Error('two passes expected');
    const workerData: RingWorkerData = { variant, role, chunkBytes, totalBytes, startLine, warmUp, measured };
    return new Worker(new URL('./ring-worker.js', import.meta.url), { workerData, transferList: [warmUp.port, measured.port] });
  };
  const writer = start('writer');
  const reader = start('reader');
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
