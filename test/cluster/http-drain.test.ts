/**
 * The drain of one HTTP server, on raw keep-alive connections whose timing
 * the test controls: the races a rolling restart meets under load.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, it } from 'node:test';
import { DRAIN_IDLE_GRACE_MS, HttpDrain } from '../../src/http/http-drain.js';

interface RawClient {
  readonly socket: Socket;
  /** Sends one GET on the connection. */
  send(path: string): void;
  /** Resolves with the next complete response's status line and headers (lower-cased); rejects if the connection ends first. */
  nextResponse(): Promise<string>;
  /** How the connection ended: 'end' (the server's FIN, seen first) or the error's code (a reset). */
  readonly ended: Promise<string>;
  /** Every error the connection had, even after its end (a reset that follows the FIN). */
  readonly errors: string[];
  readonly closed: Promise<unknown>;
}

/** A keep-alive HTTP/1.1 client on one connection; `allowHalfOpen` keeps its side open after the server's end, as autocannon's stays until it reconnects. */
function rawClient(port: number, allowHalfOpen = false): RawClient {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen });
  const errors: string[] = [];
  const closed = once(socket, 'close');
  socket.on('error', (error: Error & { code?: string }) => errors.push(error.code ?? error.message));
  let buffered = '';
  const waiters: { resolve: (head: string) => void; reject: (error: Error) => void }[] = [];
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    buffered += chunk;
    // The fixture's bodies are short and sent with a content-length: a response is complete once its body is in.
    for (;;) {
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const head = buffered.slice(0, headEnd).toLowerCase();
      const length = Number(/content-length: (\d+)/.exec(head)?.[1] ?? '0');
      if (buffered.length < headEnd + 4 + length) return;
      buffered = buffered.slice(headEnd + 4 + length);
      waiters.shift()?.resolve(head);
    }
  });
  const ended = new Promise<string>((resolve) => {
    socket.once('end', () => {
      resolve('end');
    });
    socket.once('error', (error: Error & { code?: string }) => {
      resolve(error.code ?? error.message);
    });
  });
  let endedHow: string | undefined;
  void ended.then((how) => {
    endedHow = how;
    for (const waiter of waiters.splice(0)) waiter.reject(new Error(`The connection ended (${how}) before the response`));
  });
  return {
    socket,
    ended,
    errors,
    closed,
    send: (path) => socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`),
    nextResponse: () =>
      new Promise((resolve, reject) => {
        if (endedHow === undefined) waiters.push({ resolve, reject });
        else reject(new Error(`The connection had ended (${endedHow}) before the request`));
      }),
  };
}

/** A server answering `GET /?ms=N` after N ms, with the paths it was asked for, and its drain. */
async function drainableServer(): Promise<{ server: Server; port: number; drain: HttpDrain; seen: string[] }> {
  const seen: string[] = [];
  const server = createServer((request, response) => {
    seen.push(request.url ?? '');
    const ms = Number(new URL(request.url ?? '/', 'http://localhost').searchParams.get('ms') ?? '0');
    setTimeout(() => response.end('ok'), ms);
  });
  const drain = new HttpDrain(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  return { server, port: typeof address === 'object' && address !== null ? address.port : 0, drain, seen };
}

describe('HttpDrain', () => {
  it('answers a request sent on a connection that was idle when the drain began, with Connection: close, then ends the connection without a reset', { timeout: 10_000 }, async () => {
    const { server, port, drain, seen } = await drainableServer();
    const client = rawClient(port);
    try {
      client.send('/first');
      assert.match(await client.nextResponse(), /connection: keep-alive/);
      const drained = drain.drain();
      // Node's server.close() would drop this idle connection at once, racing the request below.
      await new Promise((resolve) => setTimeout(resolve, 30));
      client.send('/second');
      const head = await client.nextResponse();
      assert.match(head, /^http\/1\.1 200/);
      assert.match(head, /connection: close/);
      assert.equal(await client.ended, 'end');
      await drained;
      assert.deepEqual(seen, ['/first', '/second']);
      assert.equal(server.listening, false);
    } finally {
      client.socket.destroy();
      server.closeAllConnections();
    }
  });

  it('ends a connection whose client ignores Connection: close and writes on: the client sees the end and no reset, and the application never sees those requests', { timeout: 10_000 }, async () => {
    const { server, port, drain, seen } = await drainableServer();
    const client = rawClient(port, true);
    try {
      client.send('/first');
      await client.nextResponse();
      client.send('/slow?ms=150');
      await new Promise((resolve) => setTimeout(resolve, 50));
      const drained = drain.drain();
      const head = await client.nextResponse();
      assert.match(head, /connection: close/);
      // What autocannon does: the next request right after the response, on the same connection.
      client.send('/after-close');
      assert.equal(await client.ended, 'end');
      // A client slower to notice writes on: to a connection Node's own close had destroyed, that
      // draws a reset, and the write after it fails. A lingering server reads and drops it.
      for (const path of ['/later', '/later-still']) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        client.send(path);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
      client.socket.end();
      await client.closed;
      assert.deepEqual(client.errors, []);
      await drained;
      assert.deepEqual(seen, ['/first', '/slow?ms=150']);
    } finally {
      client.socket.destroy();
      server.closeAllConnections();
    }
  });

  it('ends a keep-alive connection that stays idle once the grace has passed, and the drain resolves', { timeout: 10_000 }, async () => {
    const { server, port, drain } = await drainableServer();
    const client = rawClient(port);
    try {
      client.send('/first');
      await client.nextResponse();
      const startedAt = performance.now();
      await drain.drain();
      const drainMs = performance.now() - startedAt;
      assert.equal(await client.ended, 'end');
      assert.ok(drainMs >= DRAIN_IDLE_GRACE_MS - 10, `drained after ${String(Math.round(drainMs))} ms, before the grace`);
      assert.ok(drainMs < DRAIN_IDLE_GRACE_MS + 3_000, `drained after ${String(Math.round(drainMs))} ms`);
    } finally {
      client.socket.destroy();
      server.closeAllConnections();
    }
  });
});
