/**
 * The script every process worker starts with (`runtime: 'process'`): it
 * waits for its start message on the IPC channel, then serves the pool (see
 * serve.ts). It never outlives its pool: when the IPC channel closes (the
 * pool's process ended, even by SIGKILL), it exits.
 *
 * CommonJS, unlike the rest of the package: Node then starts a process
 * worker without its asynchronous ES-module loader, and the worker loads an
 * ES-module task with require() where it can (see load-module.ts), which
 * takes about 5 ms less of a worker's start. It passes its own `require`
 * for that: an absolute path needs no `createRequire()`, nor `node:module`.
 */
import type { ProcessStartMessage } from '../protocol/messages.js';
import shared = require('../protocol/shared-slots.js');
import channels = require('./channel.js');
import serving = require('./serve.js');

if (process.send === undefined) throw new Error('spindle/worker process entry must be started by a pool (it needs an IPC channel)');
process.once('disconnect', () => {
  process.exit(0);
});
// A terminal's Ctrl+C, or a supervisor that signals the whole process group (systemd's default KillMode), reaches every
// worker with its pool's process. Ending a worker is its pool's call, as for a thread: the pool drains (closeOnSignal)
// or dies, and the worker then leaves when told, or when its channel closes (or the reaper kills it, runtime/reaper.ts).
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);

async function start(): Promise<void> {
  const channel = channels.processChannel();
  // The start message travels as every other (protocol/process-link.ts), wrapped in an array: a long workerData on the side pipe.
  // Taken alone: whatever the pool sends after it is held until the runner listens (serve.ts, once the module has loaded).
  const [{ boot, workerData }] = (await channel.nextMessage()) as readonly [ProcessStartMessage];
  // The slots and the result log stay local: a process shares no memory with its pool (see channel.ts).
  await serving.serve(channel, { ...boot, maxHeapUsedBytes: boot.maxHeapUsedBytes, sharedState: new SharedArrayBuffer(shared.SHARED_STATE_BYTES) }, workerData, process.pid, require);
}

void start();
