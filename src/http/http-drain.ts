import type { IncomingMessage, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

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

/**
 * During a drain, a keep-alive connection with no request in progress is
 * ended once it has been idle this long. A client under load sends its next
 * request within milliseconds (and gets `Connection: close`); only a client
 * idle for longer can race the end with a request of its own.
 */
export const DRAIN_IDLE_GRACE_MS = 1_000;
/** How long a connection the server has ended is still read, so that the client sees the end and not a reset. */
export const LINGER_MS = 2_000;
/** How often idle connections are looked at during a drain. */
const SWEEP_MS = 50;

interface Connection {
  /** Requests received and not yet answered. */
  active: number;
  /** performance.now() when it last had no request left. */
  idleSince: number;
}

type RequestListener = (this: unknown, request: IncomingMessage, response: ServerResponse) => void;

/**
 * Drains an HTTP server without failing a request:
 *
 * - it stops accepting connections (the primary hands new ones to the other
 *   processes) but does not drop the ones it has, as Node's own
 *   `server.close()` does with the idle ones;
 * - every response not yet started gets `Connection: close`, so a keep-alive
 *   client opens its next connection elsewhere, and Node ends the connection
 *   after that response;
 * - a connection with no request in progress is ended once it has been idle
 *   for `DRAIN_IDLE_GRACE_MS`: a busy client's next request, even one already
 *   on the wire, is answered (with `Connection: close`) instead of lost;
 * - a connection is ended with a lingering close: FIN after the last
 *   response, then whatever the client still sends is read and dropped until
 *   it closes too (or `LINGER_MS`), so that a client which wrote one more
 *   request sees the connection end, never a reset that could also swallow
 *   the last response. A request that arrives on a connection the server has
 *   ended is dropped before the application sees it: it cannot be answered.
 *
 * Installed before the drain, because the connections and the responses in
 * flight must be known when it starts.
 */
export class HttpDrain {
  readonly #server: DrainableServer;
  readonly #connections = new Map<Socket, Connection>();
  readonly #inFlight = new Set<ServerResponse>();
  readonly #ended = new WeakSet<Socket>();
  #draining: Promise<void> | undefined;
  #drainStartedAt = 0;

  constructor(server: DrainableServer) {
    this.#server = server;
    (server as unknown as NodeJS.EventEmitter).on('connection', (socket: Socket) => {
      this.#track(socket);
    });
    server.prependListener('request', (request, response) => {
      const connection = this.#track(request.socket);
      connection.active++;
      if (this.#draining !== undefined) closeAfter(response);
      else this.#inFlight.add(response);
      response.once('close', () => {
        this.#inFlight.delete(response);
        connection.active--;
        if (connection.active === 0) connection.idleSince = performance.now();
      });
    });
  }

  /** Resolves when the server has closed: no connection left. */
  drain(): Promise<void> {
    this.#draining ??= new Promise<void>((resolve) => {
      this.#drainStartedAt = performance.now();
      for (const socket of this.#connections.keys()) this.#lingerOnClose(socket);
      for (const response of this.#inFlight) closeAfter(response);
      this.#inFlight.clear();
      this.#dropRequestsOnEndedConnections();
      const sweep = setInterval(() => {
        this.#endIdleConnections();
      }, SWEEP_MS);
      const closed = (): void => {
        clearInterval(sweep);
        resolve();
      };
      if (this.#server instanceof NetServer) {
        // net.Server's close: stop accepting, keep the connections (http.Server's also drops the idle ones at once).
        NetServer.prototype.close.call(this.#server, closed);
      } else {
        this.#server.close(closed);
      }
    });
    return this.#draining;
  }

  #track(socket: Socket): Connection {
    let connection = this.#connections.get(socket);
    if (connection !== undefined) return connection;
    connection = { active: 0, idleSince: performance.now() };
    this.#connections.set(socket, connection);
    socket.once('close', () => this.#connections.delete(socket));
    if (this.#draining !== undefined) this.#lingerOnClose(socket);
    return connection;
  }

  /** Node ends a connection after a `Connection: close` response with destroySoon(): linger instead. */
  #lingerOnClose(socket: Socket): void {
    socket.destroySoon = () => {
      this.#linger(socket);
    };
  }

  #endIdleConnections(): void {
    const now = performance.now();
    for (const [socket, connection] of this.#connections) {
      if (connection.active === 0 && now - Math.max(connection.idleSince, this.#drainStartedAt) >= DRAIN_IDLE_GRACE_MS) this.#linger(socket);
    }
    // Connections made before this drain was installed, and idle since: Node knows them.
    if (this.#connections.size === 0 && now - this.#drainStartedAt >= DRAIN_IDLE_GRACE_MS) this.#server.closeIdleConnections?.();
  }

  /** Ends the connection, reads until the client ends its side too (or LINGER_MS), then destroys it. */
  #linger(socket: Socket): void {
    if (this.#ended.has(socket) || socket.destroyed) return;
    this.#ended.add(socket);
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => {
      clearTimeout(timer);
    });
    socket.once('end', () => socket.destroy());
    socket.end();
    socket.resume();
  }

  /** From now on, a request on a connection the server has ended reaches no listener (its answer could not be sent). */
  #dropRequestsOnEndedConnections(): void {
    const server = this.#server as unknown as NodeJS.EventEmitter;
    const listeners = server.listeners('request') as RequestListener[];
    server.removeAllListeners('request');
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      if (this.#ended.has(request.socket)) return;
      for (const listener of listeners) listener.call(server, request, response);
    });
  }
}

/** Marks a response as the last on its connection, if its head is not written yet. */
function closeAfter(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('connection', 'close');
}
