import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { Pool, type WorkerExitInfo } from 'spindle';
import { waitFor } from '../helpers.js';

/** The thread worker's script as the package ships it (dist/worker/entry.js, which runtime/thread-runtime.ts starts). */
const threadScript = new URL('./worker/entry.js', import.meta.resolve('spindle'));

const neverLoadsUrl = new URL('../fixtures/fault-load-never-finishes.js', import.meta.url);

/** Every workerExit of `pool`, as `[exitCode, reason]`. */
function recordExits(pool: Pool): [number, WorkerExitInfo['reason']][] {
  const exits: [number, WorkerExitInfo['reason']][] = [];
  pool.on('workerExit', ({ exitCode, reason }) => exits.push([exitCode, reason]));
  return exits;
}

describe('a thread worker ended while its script starts', () => {
  it('finishes evaluating its script before its start message arrives, so that no part of its start is an asynchronous module', async () => {
    // A script with top-level await is an asynchronous module: import() of it would wait for the start message forever.
    const worker = new Worker(`import(${JSON.stringify(threadScript.href)}).then(() => require('node:worker_threads').parentPort.postMessage('evaluated'));`, { eval: true });
    try {
      const [message] = (await Promise.race([
        new Promise((resolve) => worker.once('message', (value) => { resolve([value]); })),
        new Promise((_, reject) => setTimeout(() => { reject(new Error('the script had not finished evaluating after 10 s')); }, 10_000).unref()),
      ])) as [unknown];
      assert.equal(message, 'evaluated');
    } finally {
      await worker.terminate();
    }
  });

  it('does not take the host down when it is terminated just as its script starts to evaluate, 150 times', async () => {
    // In a child process: Node 20 aborted the whole process within a few dozen tries when the script had top-level await.
    const script = fileURLToPath(new URL('../fixtures/terminate-at-start.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, fileURLToPath(threadScript), '150'], { timeout: 120_000, killSignal: 'SIGKILL' });
    assert.match(stdout, /ended 150 workers as their script started/);
  });

  it('asks a thread worker still loading its module to leave instead of terminating it, when the pool is closed, destroyed, or gives up after startTimeout: it exits with code 0', async () => {
    // The module awaits forever at its top level: an asynchronous module, which a terminate() could catch as it starts.
    for (const end of ['close', 'destroy'] as const) {
      const pool = new Pool(neverLoadsUrl, { threads: 2 });
      const exits = recordExits(pool);
      pool.ready.catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await pool[end]();
      assert.deepEqual(exits, [[0, 'close'], [0, 'close']], `${end}(): each worker left by itself`);
    }
    const pool = new Pool(neverLoadsUrl, { threads: 1, startTimeout: 200 });
    const exits = recordExits(pool);
    await assert.rejects(pool.ready, { code: 'ERR_WORKER_START_FAILED' });
    await pool.destroy();
    assert.deepEqual(exits[0], [0, 'start-timeout']);
  });

  it('terminates a thread worker whose loading blocks its event loop once it has not left 500 ms after it was asked to', async () => {
    const started = new Int32Array(new SharedArrayBuffer(4));
    const pool = new Pool(new URL('../fixtures/load-blocks-event-loop.js', import.meta.url), { threads: 1, workerData: { loadMs: 10_000, started } });
    const exits = recordExits(pool);
    pool.ready.catch(() => undefined);
    // Asked before its module blocks, it would leave by itself.
    await waitFor(() => Atomics.load(started, 0) === 1, 10_000, 'the module blocking its worker');
    const destroying = performance.now();
    await pool.destroy();
    const tookMs = performance.now() - destroying;
    assert.ok(tookMs < 3_000, `destroy() took ${tookMs.toFixed(0)} ms`);
    assert.deepEqual(exits, [[1, 'close']], 'terminated');
  });

  it('does not take the host down when a pool is destroyed just as its task module with top-level await starts to evaluate, 50 times: each worker leaves by itself', async () => {
    const script = fileURLToPath(new URL('../fixtures/destroy-at-start.js', import.meta.url));
    const { stdout } = await promisify(execFile)(process.execPath, [script, '50'], { timeout: 120_000, killSignal: 'SIGKILL' });
    assert.match(stdout, /destroyed 50 pools as their module started; exit codes \{"0":50\}/);
  });
});
