import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';

/** The thread worker's script as the package ships it (dist/worker/entry.js, which runtime/thread-runtime.ts starts). */
const threadScript = new URL('./worker/entry.js', import.meta.resolve('spindle'));

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
});
