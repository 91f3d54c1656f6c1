import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { measureRoundTrips } from '../workloads/latency.js';
import { SEQUENTIAL_WARM_UPS } from '../workloads/workload.js';
import { measureTransfers } from '../workloads/transfer.js';
import { percentile } from '../report/statistics.js';

const ECHO_WORKER = new URL('./echo-worker.js', import.meta.url);

/** One plain worker that echoes messages: what any pool built on postMessage must pay at least. */
export class EchoWorker {
  readonly #worker: Worker;
  #waiting: ((value: unknown) => void) | undefined;

  private constructor(worker: Worker) {
    this.#worker = worker;
    worker.on('message', (value: unknown) => {
      const resolve = this.#waiting;
      this.#waiting = undefined;
      resolve?.(value);
    });
  }

  static async start(): Promise<EchoWorker> {
    const echo = new EchoWorker(new Worker(ECHO_WORKER));
    await echo.echo(0);
    return echo;
  }

  /** One message there and one back. */
  echo<T>(value: T, transferList: ArrayBuffer[] = []): Promise<T> {
    return new Promise<T>((resolve) => {
      this.#waiting = resolve as (value: unknown) => void;
      this.#worker.postMessage(value, transferList);
    });
  }

  /** `count` messages posted at once, each echoed; resolves when every echo is back. */
  pipelined(count: number): Promise<void> {
    return new Promise((resolve) => {
      let received = 0;
      const onMessage = (): void => {
        if (++received < count) return;
        this.#worker.off('message', onMessage);
        resolve();
      };
      this.#worker.on('message', onMessage);
      for (let index = 0; index < count; index++) this.#worker.postMessage(index);
    });
  }

  stop(): Promise<number> {
    return this.#worker.terminate();
  }
}

export async function messagePingPong(count: number): Promise<{ p50Us: number; p99Us: number; meanUs: number }> {
  const worker = await EchoWorker.start();
  for (let index = 0; index < SEQUENTIAL_WARM_UPS; index++) await worker.echo(index);
  const result = await measureRoundTrips(count, (index) => worker.echo(index));
  await worker.stop();
  return result;
}

export async function pipelinedThroughput(count: number): Promise<{ messagesPerSecond: number }> {
  const worker = await EchoWorker.start();
  await worker.pipelined(10_000);
  const started = performance.now();
  await worker.pipelined(count);
  const elapsedMs = performance.now() - started;
  await worker.stop();
  return { messagesPerSecond: (count / elapsedMs) * 1000 };
}

export async function transferRoundTrip(): Promise<{ roundTripMs: number }> {
  const worker = await EchoWorker.start();
  const result = await measureTransfers((buffer) => worker.echo(buffer, [buffer]));
  await worker.stop();
  return result;
}

/** Request and answer through a SharedArrayBuffer with Atomics.wait/notify: no message, no event loop. */
export async function atomicsPingPong(count: number): Promise<{ p50Us: number; p99Us: number }> {
  const shared = new SharedArrayBuffer(8);
  const slots = new Int32Array(shared);
  const worker = new Worker(ECHO_WORKER, { workerData: { shared } });
  await new Promise((resolve) => worker.once('online', resolve));
  const ask = (request: number): void => {
    Atomics.store(slots, 0, request);
    Atomics.notify(slots, 0);
    while (Atomics.load(slots, 1) !== request) Atomics.wait(slots, 1, Atomics.load(slots, 1), 1_000);
  };
  const samples: number[] = [];
  for (let request = 1; request <= count + SEQUENTIAL_WARM_UPS; request++) {
    const started = performance.now();
    ask(request);
    if (request > SEQUENTIAL_WARM_UPS) samples.push((performance.now() - started) * 1000);
  }
  Atomics.store(slots, 0, -1);
  Atomics.notify(slots, 0);
  await worker.terminate();
  return { p50Us: percentile(samples, 0.5), p99Us: percentile(samples, 0.99) };
}

/**
 * postMessage with neither thread ever asleep: both take messages off a
 * MessageChannel in a busy loop (receiveMessageOnPort). The floor of a
 * message round trip itself, with no wake-up in it.
 */
export async function polledPingPong(count: number): Promise<{ p50Us: number; p99Us: number }> {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(ECHO_WORKER, { workerData: { polledPort: port2 }, transferList: [port2] });
  await new Promise((resolve) => worker.once('online', resolve));
  const samples: number[] = [];
  for (let request = 0; request < count + SEQUENTIAL_WARM_UPS; request++) {
    const started = performance.now();
    port1.postMessage(request);
    while (receiveMessageOnPort(port1) === undefined);
    if (request >= SEQUENTIAL_WARM_UPS) samples.push((performance.now() - started) * 1000);
  }
  port1.postMessage(-1);
  await worker.terminate();
  port1.close();
  return { p50Us: percentile(samples, 0.5), p99Us: percentile(samples, 0.99) };
}
