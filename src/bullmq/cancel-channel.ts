/**
 * Cancelling a job that another machine runs. BullMQ can cancel a job only
 * in the process that runs it (`worker.cancelJob(id)`); a producer that
 * gives up on a running job publishes its id on a Redis channel of the
 * queue, and every consumer of the queue calls `cancelJob` for it. A
 * consumer also remembers the ids it heard for a minute, in case the job
 * had been taken from the queue but not yet started when the message came.
 */
import type { Redis } from 'ioredis';
import { ownClient, type FleetConnection } from './connection.js';

/** How long a consumer remembers a cancelled job id it did not hold. */
const REMEMBER_MS = 60_000;

/** The channel of a queue's cancellations. */
export function cancelChannelName(prefix: string, queue: string): string {
  return `${prefix}:${queue}:spindle:cancel`;
}

export interface CancelMessage {
  readonly jobId: string;
  readonly reason: string;
}

/** The consumer's end: calls `onCancel` for each job a producer cancels. */
export class CancelListener {
  readonly #subscriber: Redis;
  readonly #recent = new Map<string, { readonly at: number; readonly reason: string }>();
  readonly ready: Promise<void>;

  constructor(connection: FleetConnection, channel: string, onCancel: (message: CancelMessage) => void) {
    this.#subscriber = ownClient(connection, 'spindle:cancel:subscriber');
    // Connection errors are retried by ioredis; a listener keeps them from being unhandled.
    this.#subscriber.on('error', () => undefined);
    this.#subscriber.on('message', (_channel: string, text: string) => {
      const message = parse(text);
      if (message === undefined) return;
      this.#forgetOld();
      this.#recent.set(message.jobId, { at: Date.now(), reason: message.reason });
      onCancel(message);
    });
    this.ready = this.#subscriber.subscribe(channel).then(() => undefined);
  }

  /** The reason a producer gave for cancelling `jobId` in the last minute, if it did. */
  cancelled(jobId: string): string | undefined {
    return this.#recent.get(jobId)?.reason;
  }

  async close(): Promise<void> {
    this.#recent.clear();
    await this.#subscriber.quit().catch(() => { this.#subscriber.disconnect(); });
  }

  #forgetOld(): void {
    const oldest = Date.now() - REMEMBER_MS;
    for (const [jobId, { at }] of this.#recent) {
      if (at >= oldest) break;
      this.#recent.delete(jobId);
    }
  }
}

/** The producer's end: publishes cancellations, on a connection opened at the first one. */
export class CancelPublisher {
  readonly #connection: FleetConnection;
  readonly #channel: string;
  #publisher: Redis | undefined;

  constructor(connection: FleetConnection, channel: string) {
    this.#connection = connection;
    this.#channel = channel;
  }

  async publish(message: CancelMessage): Promise<void> {
    if (this.#publisher === undefined) {
      this.#publisher = ownClient(this.#connection, 'spindle:cancel:publisher');
      this.#publisher.on('error', () => undefined);
    }
    await this.#publisher.publish(this.#channel, JSON.stringify(message));
  }

  async close(): Promise<void> {
    const publisher = this.#publisher;
    this.#publisher = undefined;
    await publisher?.quit().catch(() => { publisher.disconnect(); });
  }
}

function parse(text: string): CancelMessage | undefined {
  try {
    const message = JSON.parse(text) as Partial<CancelMessage>;
    return typeof message.jobId === 'string' && typeof message.reason === 'string' ? { jobId: message.jobId, reason: message.reason } : undefined;
  } catch {
    return undefined;
  }
}
