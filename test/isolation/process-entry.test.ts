import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MessageKind } from '../../src/protocol/messages.js';
import { SHARED_STATE_BYTES } from '../../src/protocol/shared-slots.js';
import { startProcessWorker } from '../../src/runtime/process-runtime.js';

const tasksUrl = new URL('../fixtures/tasks.js', import.meta.url);

describe("runtime: 'process', a worker's start", () => {
  it('keeps what the pool sends while the worker loads its module, and answers it once loaded', { timeout: 30_000 }, async () => {
    const messages: (readonly unknown[])[] = [];
    let answered: (message: readonly unknown[]) => void = () => undefined;
    const answer = new Promise<readonly unknown[]>((resolve) => {
      answered = resolve;
    });
    let worker: ReturnType<typeof startProcessWorker> | undefined;
    const exited = new Promise<number>((resolve) => {
      worker = startProcessWorker(
        {
          bootData: { moduleUrl: tasksUrl.href, sharedState: new SharedArrayBuffer(SHARED_STATE_BYTES), maxHeapUsedBytes: undefined, busyPollUs: 0 },
          workerData: undefined,
          name: 'process-entry test',
          env: undefined,
          execArgv: undefined,
          resourceLimits: undefined,
          permissions: undefined,
        },
        {
          message: (message) => {
            messages.push(message);
            if (message[0] === MessageKind.Results) answered(message);
          },
          error: () => undefined,
          exit: (code) => {
            resolve(code);
          },
        },
      );
    });
    try {
      // Sent at once, as the start message is: the worker reads the start message, then loads the module, then listens.
      worker?.post([MessageKind.Run, 1, 'add', { a: 2, b: 3 }], []);
      let timer: NodeJS.Timeout | undefined;
      const tooLate = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error('no answer within 10 s: the task sent while the worker loaded was lost'));
        }, 10_000);
      });
      const results = await Promise.race([answer, tooLate, exited.then((code) => assert.fail(`the worker exited (${String(code)}) without answering`))]).finally(() => {
        clearTimeout(timer);
      });
      assert.deepStrictEqual(results.slice(0, 3), [MessageKind.Results, 1, 0]);
      assert.equal(results[3], 5);
      assert.equal(messages[0]?.[0], MessageKind.Ready, 'READY came first');
    } finally {
      worker?.terminate();
      await exited;
    }
  });
});
