/**
 * The script every thread worker starts with: it waits for its start
 * message, then serves the pool (see serve.ts).
 *
 * The pool talks to the worker over a MessagePort of its own, handed over in
 * the first message on `parentPort`, not over `parentPort` itself: task code
 * that removes every `parentPort` listener or closes it cannot cut the
 * worker off the pool. Node's `workerData` is the pool's `workerData` option.
 */
import type { ThreadStartMessage } from '../protocol/messages.js';
import { portChannel } from './channel.js';
import { serve } from './serve.js';

// process.getBuiltinModule, not an import: each ES-module import of a built-in adds about half a millisecond to a worker's start (eslint.config.js).
const events = process.getBuiltinModule('node:events');
const threads = process.getBuiltinModule('node:worker_threads');

const { parentPort } = threads;
if (parentPort === null) throw new Error('spindle/worker entry must run inside a worker thread');

// No top-level await: a module with one is evaluated asynchronously, and Node 20 aborts the whole host process (V8's
// "Check failed: (location_) != nullptr" in SourceTextModule::ExecuteAsyncModule) when a worker is terminated just as
// such a module starts to evaluate, as a pool that closes while its workers start can do. This script finishes
// evaluating at once; what it then awaits runs as any promise does, and a failure of it still ends the worker with
// an uncaught error, as a rejected top-level await would.
void (async () => {
  const [{ port, boot }] = (await events.once(parentPort, 'message')) as [ThreadStartMessage];
  await serve(portChannel(port), boot, threads.workerData, threads.threadId, 'import');
})().catch((error: unknown) => {
  process.nextTick(() => {
    throw error;
  });
});
