import type { ServerResponse } from 'node:http';
import type { DashboardFrames } from './dashboard-frames.js';

/**
 * Streams dashboard frames as server-sent events to every subscriber, one
 * frame per interval, and measures only while at least one is connected.
 */
export class LiveFeed {
  readonly #frames: DashboardFrames;
  readonly #intervalMs: number;
  readonly #subscribers = new Set<ServerResponse>();
  #timer: NodeJS.Timeout | undefined;

  constructor(frames: DashboardFrames, intervalMs: number) {
    this.#frames = frames;
    this.#intervalMs = intervalMs;
  }

  get subscriberCount(): number {
    return this.#subscribers.size;
  }

  subscribe(response: ServerResponse): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: 1000\n\n`);
    this.#subscribers.add(response);
    response.once('close', () => {
      this.#unsubscribe(response);
    });
    if (this.#timer === undefined) {
      this.#frames.start();
      this.#timer = setInterval(() => {
        this.#broadcast();
      }, this.#intervalMs);
    }
  }

  /** Ends every stream; the service calls it before it closes. */
  close(): void {
    for (const response of this.#subscribers) response.end();
    this.#subscribers.clear();
    this.#stop();
  }

  #broadcast(): void {
    const event = `event: frame\ndata: ${JSON.stringify(this.#frames.next())}\n\n`;
    for (const response of this.#subscribers) response.write(event);
  }

  #unsubscribe(response: ServerResponse): void {
    this.#subscribers.delete(response);
    if (this.#subscribers.size === 0) this.#stop();
  }

  #stop(): void {
    if (this.#timer === undefined) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#frames.stop();
  }
}
