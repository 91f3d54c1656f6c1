import { HttpDrain, type DrainableServer } from '../http/http-drain.js';
import { invalidArgument } from '../options/expectations.js';
import type { CloseOptions } from './lifecycle.js';

/** A server `closeOnSignal()` can stop: `node:http`, `node:https` and `node:http2` servers are. */
export interface ClosableServer {
  close(callback?: (error?: Error) => void): unknown;
  /** Node 18.2+: ends keep-alive connections that carry no request right now. */
  closeIdleConnections?(): void;
  /** Node 18.2+: ends every connection, in-flight requests included. */
  closeAllConnections?(): void;
}

/** Options of `pool.closeOnSignal()`. */
export interface CloseOnSignalOptions extends CloseOptions {
  /** @default ['SIGTERM', 'SIGINT'] */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * A server to stop first, without failing a request: it stops accepting
   * connections; the requests in flight finish (their pool tasks included)
   * and every response from then on carries `Connection: close`; a
   * keep-alive connection is ended once it has carried no request for 1 s
   * (so a busy client's next request, already on its way, is answered
   * rather than reset), with a lingering close. With `timeout`, the
   * connections still open when it expires are ended. For a `node:http` or
   * `node:https` server; another object with `close()` is just closed.
   */
  readonly server?: ClosableServer;
  /**
   * Awaited before the pool closes (after `server` has stopped, if given): stop
   * whatever else feeds the pool, e.g. `() => app.close()` for Fastify, or a
   * queue consumer. An error it throws is reported on `callbackError`; the pool
   * still closes.
   */
  readonly beforeClose?: () => unknown;
}


/**
 * On the first of `signals`: stops `server` (no new connections; in-flight
 * requests finish), awaits `beforeClose`, then closes the pool, and removes
 * its handlers, so that the process exits 0 by itself once nothing else
 * holds it. Returns the uninstaller.
 */
export function installCloseOnSignal(options: CloseOnSignalOptions, closePool: (options: CloseOptions) => Promise<void>, reportError: (error: Error) => void): () => void {
  const signals = options.signals ?? ['SIGTERM', 'SIGINT'];
  if (options.server !== undefined && typeof options.server.close !== 'function') {
    invalidArgument('server', 'a server with a close() method (a node:http server)', options.server);
  }
  if (options.beforeClose !== undefined && typeof options.beforeClose !== 'function') {
    invalidArgument('beforeClose', 'a function', options.beforeClose);
  }
  // Installed now: the drain must know the connections and the responses in flight when the signal comes.
  const drain = options.server !== undefined && isHttpServer(options.server) ? new HttpDrain(options.server) : undefined;
  const uninstall = (): void => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  const onSignal = (): void => {
    uninstall();
    void shutDown(options, drain, closePool, reportError);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return uninstall;
}

function isHttpServer(server: ClosableServer): server is ClosableServer & DrainableServer {
  const candidate = server as Partial<DrainableServer>;
  return typeof candidate.prependListener === 'function' && typeof candidate.once === 'function';
}

async function shutDown(
  options: CloseOnSignalOptions,
  drain: HttpDrain | undefined,
  closePool: (options: CloseOptions) => Promise<void>,
  reportError: (error: Error) => void,
): Promise<void> {
  const startedAt = Date.now();
  try {
    if (options.server !== undefined) await stopServer(options.server, drain, options.timeout);
    await options.beforeClose?.();
  } catch (error) {
    reportError(error instanceof Error ? error : new Error(String(error)));
  }
  const left = options.timeout === undefined ? undefined : Math.max(0, options.timeout - (Date.now() - startedAt));
  await closePool(left === undefined ? {} : { timeout: left }).catch(reportError);
}

function stopServer(server: ClosableServer, drain: HttpDrain | undefined, timeoutMs: number | undefined): Promise<void> {
  const deadline =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          server.closeAllConnections?.();
        }, timeoutMs);
  const stopped =
    drain === undefined
      ? new Promise<void>((resolve) => {
          server.close(() => {
            resolve();
          });
        })
      : drain.drain();
  return stopped.finally(() => {
    if (deadline !== undefined) clearTimeout(deadline);
  });
}
