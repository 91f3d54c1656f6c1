import { parentPort, workerData } from 'node:worker_threads';

/**
 * The plain worker_threads counterpart of a pool worker: it answers each
 * message with the same value (moving an ArrayBuffer back), or, in atomics
 * mode, answers through shared memory without any message at all.
 */
interface AtomicsData {
  readonly shared: SharedArrayBuffer;
}

const port = parentPort;
if (port === null) throw new Error('echo-worker must run as a worker thread');

const data = workerData as AtomicsData | undefined;
if (data === undefined) {
  port.on('message', (value: unknown) => {
    if (value instanceof ArrayBuffer) port.postMessage(value, [value]);
    else port.postMessage(value);
  });
} else {
  answerThroughSharedMemory(new Int32Array(data.shared));
}

/** Slot 0: the request number the pool writes; slot 1: the last request answered. 0 ends the loop. */
function answerThroughSharedMemory(slots: Int32Array): void {
  let last = 0;
  for (;;) {
    Atomics.wait(slots, 0, last);
    last = Atomics.load(slots, 0);
    if (last < 0) return;
    Atomics.store(slots, 1, last);
    Atomics.notify(slots, 1);
  }
}
