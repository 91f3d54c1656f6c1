import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * A server `clusterWorker()` can drain: a `node:http` or `node:https` server
 * (Fastify's `app.server`, Express's `app.listen()` result, Koa's …).
 */
export interface DrainableServer {
  readonly listening: boolean;
  close(callback?: (error?: Error) => void): unknown;
  closeIdleConnections?(): void;
  prependListener(event: 'request', listener: (request: IncomingMessage, response: ServerResponse) => void): unknown;
  once(event: 'listening', listener: () => void): unknown;
}

/** How often connections that fell idle during a drain are ended. */
const IDLE_SWEEP_MS = 50;

/**
 * Drains an HTTP server without failing a request: it stops accepting
 * connections, every response not yet started gets `Connection: close` (so
 * a keep-alive client opens its next connection elsewhere, on another
 * process), idle keep-alive connections are ended as they fall idle, and the
 * requests in flight finish. Installed before the drain, because the
 * responses in flight must be known when it starts.
 */
export class HttpDrain {
  readonly #server: DrainableServer;
  readonly #inFlight = new Set<ServerResponse>();
  #draining: Promise<void> | undefined;

  constructor(server: DrainableServer) {
    this.#server = server;
    server.prependListener('request', (_request, response) => {
      if (this.#draining !== undefined) {
        closeAfter(response);
        return;
      }
      this.#inFlight.add(response);
      response.once('close', () => this.#inFlight.delete(response));
    });
  }

  /** Resolves when the server has closed: no connection left. */
  drain(): Promise<void> {
    this.#draining ??= new Promise<void>((resolve) => {
      for (const response of this.#inFlight) closeAfter(response);
      this.#inFlight.clear();
      const sweep = setInterval(() => this.#server.closeIdleConnections?.(), IDLE_SWEEP_MS);
      this.#server.close(() => {
        clearInterval(sweep);
        resolve();
      });
      this.#server.closeIdleConnections?.();
    });
    return this.#draining;
  }
}

/** Marks a response as the last on its connection, if its head is not written yet. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
}
