import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isTransferred } from '../../src/protocol/transfer.js';
import { workerModuleUrl } from '../../src/piscina/worker-request.js';

const handlers = fileURLToPath(new URL('../fixtures/piscina-handlers.js', import.meta.url));
const moduleUrl = new URL('../../src/piscina/worker-module.js', import.meta.url);

interface WorkerModule {
  runDefault(task: unknown): unknown;
  run(request: { filename: string; name: string; task: unknown }): unknown;
}

/** The worker module as a pool with this default handler loads it (each URL is a module of its own). */
async function load(name: string): Promise<WorkerModule> {
  return (await import(workerModuleUrl(moduleUrl, handlers, name, 0).href)) as WorkerModule;
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

describe("spindle/piscina's worker module", () => {
  it("answers the pool's own synchronous handler synchronously once the handler is loaded", async () => {
    const worker = await load('default');
    // The first task may still wait for the handler to load.
    assert.equal(await worker.runDefault({ a: 1, b: 2 }), 3);
    // Loaded: a plain value, which Spindle's worker answers as a synchronous task (batched, no turn of promises).
    assert.equal(worker.runDefault({ a: 4, b: 6 }), 10);
  });

  it('awaits a handler that returns a promise', async () => {
    const worker = await load('later');
    await worker.runDefault({ value: 'warm', ms: 0 });
    const result = worker.runDefault({ value: 'done', ms: 5 });
    assert.ok(isThenable(result));
    assert.equal(await result, 'done');
  });

  it('runs a task that names another handler through `run`, with the file and name it names', async () => {
    const worker = await load('default');
    assert.equal(await worker.run({ filename: handlers, name: 'later', task: { value: 7, ms: 0 } }), 7);
    assert.equal(await worker.run({ filename: handlers, name: 'default', task: { a: 2, b: 3 } }), 5);
  });

  it("unwraps a moved result into the value and its transfer list, whether or not the handler was loaded", async () => {
    const worker = await load('moved');
    for (const result of [await worker.runDefault({ length: 8 }), worker.runDefault({ length: 8 })]) {
      assert.ok(isTransferred(result), 'a moved result travels as a transfer');
      assert.ok(result.value instanceof Uint8Array);
      assert.equal(result.value.byteLength, 8);
      assert.deepEqual(result.transferList, [result.value.buffer]);
    }
  });

  it("refuses `runDefault` in a pool without a filename of its own", async () => {
    const worker = (await import(workerModuleUrl(moduleUrl, null, 'default', 0).href)) as WorkerModule;
    assert.throws(() => worker.runDefault({}), /runDefault needs the pool's filename/);
  });
});
