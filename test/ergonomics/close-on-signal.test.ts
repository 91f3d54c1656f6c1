import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { lastJsonLine, runChild } from '../faults/fault-helpers.js';

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
      const outcome = await runChild(serverScript, [mode], {
        timeoutMs: 20_000,
        withoutCoverage: true,
        onLine: (line, child) => {
          const message = JSON.parse(line) as { port?: number };
          if (message.port === undefined) return;
          port = message.port;
          for (let index = 0; index < 4; index++) inFlight.push(get(port, '/slow'));
          setTimeout(() => {
            child.kill('SIGTERM');
            setTimeout(() => {
              afterSignal = get(port, '/slow');
            }, 100);
          }, 150);
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
