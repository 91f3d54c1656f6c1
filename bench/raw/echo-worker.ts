import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';

/**
 * The plain worker_threads counterpart of a pool worker: it answers each
 * message with the same value (moving an ArrayBuffer back), or, in atomics
 * mode, answers through shared memory without any message at all.
 */
interface AtomicsData {
  readonly shared: SharedArrayBuffer;
}

interface PollingData {
  readonly polledPort: MessagePort;
}

const port = parentPort;
if (port === null) throw new Error('echo-worker must run as a worker thread');

const data = workerData as AtomicsData | PollingData | undefined;
if (data === undefined) {
  port.on('message', (value: unknown) => {
    if (value instanceof ArrayBuffer) port.postMessage(value, [value]);
    else port.postMessage(value);
  });
} else if ('polledPort' in data) {
  answerByPolling(data.polledPort);
} else {
  answerThroughSharedMemory(new Int32Array(data.shared));
}

/** Never sleeps: takes each message off the port in a loop and echoes it. A negative number ends the loop. */
function answerByPolling(polled: MessagePort): void {
  for (;;) {
    const received = receiveMessageOnPort(polled);
    if (received === undefined) continue;
    if ((received.message as number) < 0) return;
    polled.postMessage(received.message);
  }
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
