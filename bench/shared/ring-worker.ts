/**
 * One end of a ring trial (bench/shared/ring-trials.ts): streams `totalBytes`
 * in `chunkBytes` chunks once through the warm-up ends (untimed), then waits
 * at the start line and streams them again through the measured ends.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { RingBuffer } from 'ringbuf.js';
import { ByteChannel, type ByteChannelHandle } from 'spindle/shared';
import { elapsedNs, spinAtStartLine } from './start-line.js';

export type RingVariant = 'spindle' | 'spindle-in-place' | 'spindle-polling' | 'ringbuf.js' | 'postMessage';

/** What one pass streams through: a channel, a ringbuf.js ring and a port, of which the variant uses one. */
export interface RingEnds {
  readonly channel: ByteChannelHandle;
  readonly ringbuf: SharedArrayBuffer;
  readonly port: MessagePort;
}

export interface RingWorkerData {
  readonly variant: RingVariant;
  readonly role: 'writer' | 'reader';
  readonly chunkBytes: number;
  readonly totalBytes: number;
  readonly startLine: SharedArrayBuffer;
  readonly warmUp: RingEnds;
  readonly measured: RingEnds;
}

const job = workerData as RingWorkerData;
const chunk = new Uint8Array(job.chunkBytes).map((_, index) => index & 255);

function write(job: RingWorkerData, ends: RingEnds): void {
  switch (job.variant) {
    case 'spindle':
    case 'spindle-in-place': {
      const writer = ByteChannel.from(ends.channel).writer();
      for (let written = 0; written < job.totalBytes; written += chunk.length) writer.writeSync(chunk);
      writer.close();
      return;
    }
    case 'spindle-polling': {
      const writer = ByteChannel.from(ends.channel).writer();
      for (let written = 0; written < job.totalBytes; ) {
        for (let offset = 0; offset < chunk.length; ) offset += writer.tryWrite(offset === 0 ? chunk : chunk.subarray(offset));
        written += chunk.length;
      }
      return;
    }
    case 'ringbuf.js': {
      const ring = new RingBuffer(ends.ringbuf, Uint8Array);
      for (let written = 0; written < job.totalBytes; ) {
        for (let offset = 0; offset < chunk.length; ) offset += ring.push(chunk, chunk.length - offset, offset);
        written += chunk.length;
      }
      return;
    }
    case 'postMessage': {
      // A fresh buffer per chunk, filled as the ring's writers fill the ring, then moved (transferred), not copied.
      for (let written = 0; written < job.totalBytes; written += chunk.length) {
        const message = new Uint8Array(chunk.length);
        message.set(chunk);
        ends.port.postMessage(message, [message.buffer]);
      }
      return;
    }
  }
}

function read(job: RingWorkerData, ends: RingEnds, done: (bytes: number) => void): void {
  const into = new Uint8Array(job.chunkBytes);
  let received = 0;
  switch (job.variant) {
    case 'spindle': {
      const reader = ByteChannel.from(ends.channel).reader();
      for (let read = reader.readSync(into); read !== null; read = reader.readSync(into)) received += read;
      done(received);
      return;
    }
    case 'spindle-in-place': {
      // Read where the bytes lie, as a postMessage receiver gets its chunk without a copy.
      const reader = ByteChannel.from(ends.channel).reader();
      for (let view = reader.peekSync(); view !== null; view = reader.peekSync()) {
        const count = Math.min(view.length, job.chunkBytes);
        received += count;
        reader.consume(count);
      }
      done(received);
      return;
    }
    case 'spindle-polling': {
      const reader = ByteChannel.from(ends.channel).reader();
      while (received < job.totalBytes) received += reader.tryRead(into) ?? 0;
      done(received);
      return;
    }
    case 'ringbuf.js': {
      const ring = new RingBuffer(ends.ringbuf, Uint8Array);
      while (received < job.totalBytes) received += ring.pop(into);
      done(received);
      return;
    }
    case 'postMessage': {
      ends.port.on('message', (message: Uint8Array) => {
        received += message.byteLength;
        if (received >= job.totalBytes) {
          ends.port.close();
          done(received);
        }
      });
      return;
    }
  }
}

// The untimed pass: the same code, so that the measured pass runs optimized code on both ends (a cold pass of
// 128 MiB ran at 55-70 % of the speed of the next one through the same workers).
if (job.role === 'writer') write(job, job.warmUp);
else await new Promise<number>((resolve) => {
  read(job, job.warmUp, resolve);
});
parentPort?.postMessage('ready');
spinAtStartLine(new Int32Array(job.startLine));
const started = process.hrtime.bigint();
if (job.role === 'writer') {
  write(job, job.measured);
  parentPort?.postMessage({ ns: elapsedNs(started), bytes: job.totalBytes });
} else {
  read(job, job.measured, (bytes) => parentPort?.postMessage({ ns: elapsedNs(started), bytes }));
}
