import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Pool } from 'spindle';
import { faultTasksUrl, lastJsonLine, runChild, waitFor, type FaultTasks } from '../faults/fault-helpers.js';

const serverScript = new URL('../fixtures/close-on-signal-server.js', import.meta.url);

/** One GET on a keep-alive connection; resolves with the status and body, or the connection error's code. */
function get(port: number, path: string): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path, headers: { connection: 'keep-alive' } }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ error: error.code ?? error.message });
    });
    outgoing.end();
  });
}

for (const mode of ['server', 'before-close'] as const) {
  describe(`closeOnSignal({ ${mode === 'server' ? 'server' : 'beforeClose'} }) with a real HTTP server`, () => {
    it('on SIGTERM stops accepting, answers every request in flight from the pool, closes the pool and exits 0', async () => {
      let port = 0;
      const inFlight: Promise<{ status: number; body: string } | { error: string }>[] = [];
      let afterSignal: Promise<{ status: number; body: string } | { error: string }> | undefined;
      let received = 0;
      const outcome = await runChild(serverScript, [mode], {
        timeoutMs: 20_000,
        withoutCoverage: true,
        onLine: (line, child) => {
          const message = JSON.parse(line) as { port?: number; received?: string };
          if (message.port !== undefined) {
            port = message.port;
            for (let index = 0; index < 4; index++) inFlight.push(get(port, '/slow'));
          } else if (message.received !== undefined && ++received === 4) {
            // All four reached the server (on a loaded machine that can take a while): now they are in flight.
            child.kill('SIGTERM');
            setTimeout(() => {
              afterSignal = get(port, '/slow');
            }, 100);
          }
        },
      });
      assert.equal(outcome.exitCode, 0, outcome.stderr);
      assert.ok(port > 0, 'the server listened');
      assert.deepEqual(await Promise.all(inFlight), Array.from({ length: 4 }, () => ({ status: 200, body: '400' })), 'every request in flight was answered by the pool');
      assert.deepEqual(await afterSignal, { error: 'ECONNREFUSED' }, 'no new connection after the signal');
      assert.deepEqual(lastJsonLine(outcome), { exit: 0, served: 4, poolState: 'closed' });
    });
  });
}

/** One GET through `agent`; resolves with the status, the Connection header and the body, or the error's code. */
function getThrough(agent: Agent, port: number): Promise<{ status: number; connection: string | undefined; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const outgoing = request({ host: '127.0.0.1', port, path: '/', agent }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, connection: response.headers.connection, body });
      });
    });
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      resolve({ error: error.code ?? error.message });
    });
    outgoing.end();
  });
}

describe('closeOnSignal({ server }) and keep-alive connections', () => {
  it('answers, with Connection: close, a request sent on an idle keep-alive connection just after the signal, instead of resetting it', { timeout: 30_000 }, async () => {
    const pool = new Pool<FaultTasks>(faultTasksUrl, { threads: 1 });
    const server = createServer((_request, response) => {
      void pool.run('succeed', 7).then((value) => response.end(String(value)));
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      pool.closeOnSignal({ server, signals: ['SIGUSR2'] });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      assert.deepEqual(await getThrough(agent, port), { status: 200, connection: 'keep-alive', body: '7' });
      // The connection is idle and kept alive. The signal comes, and at once the client reuses the connection.
      process.emit('SIGUSR2', 'SIGUSR2');
      const next = getThrough(agent, port);
      assert.deepEqual(await next, { status: 200, connection: 'close', body: '7' });
      await waitFor(() => pool.stats().state === 'closed' && !server.listening, 10_000, 'the server stopped and the pool closed');
    } finally {
      agent.destroy();
      server.closeAllConnections();
      await pool.destroy();
    }
  });
});
