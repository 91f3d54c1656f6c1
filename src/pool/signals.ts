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
   * A server to stop first: it stops accepting connections, ends idle
   * keep-alive connections (and each one that falls idle), and lets the
   * requests in flight finish, their pool tasks included. With `timeout`,
   * the connections still open when it expires are ended.
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

/** How often connections that fell idle during the drain are ended. */
const IDLE_SWEEP_MS = 50;

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
  const uninstall = (): void => {
    for (const signal of signals) process.off(signal, onSignal);
  };
  const onSignal = (): void => {
    uninstall();
    void shutDown(options, closePool, reportError);
  };
  for (const signal of signals) process.on(signal, onSignal);
  return uninstall;
}

async function shutDown(options: CloseOnSignalOptions, closePool: (options: CloseOptions) => Promise<void>, reportError: (error: Error) => void): Promise<void> {
  const startedAt = Date.now();
  try {
    if (options.server !== undefined) await stopServer(options.server, options.timeout);
    await options.beforeClose?.();
  } catch (error) {
    reportError(error instanceof Error ? error : new Error(String(error)));
  }
  const left = options.timeout === undefined ? undefined : Math.max(0, options.timeout - (Date.now() - startedAt));
  await closePool(left === undefined ? {} : { timeout: left }).catch(reportError);
}

function stopServer(server: ClosableServer, timeoutMs: number | undefined): Promise<void> {
  return new Promise((resolve) => {
    const sweep = setInterval(() => server.closeIdleConnections?.(), IDLE_SWEEP_MS);
    const deadline =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            server.closeAllConnections?.();
          }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      if (deadline !== undefined) clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections?.();
  });
}
