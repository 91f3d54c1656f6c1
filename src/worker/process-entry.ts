/**
 * The script every process worker starts with (`runtime: 'process'`): it
 * waits for its start message on the IPC channel, then serves the pool (see
 * serve.ts). It never outlives its pool: when the IPC channel closes (the
 * pool's process ended, even by SIGKILL), it exits.
 */
import type { ProcessStartMessage } from '../protocol/messages.js';
import { SHARED_STATE_BYTES } from '../protocol/shared-slots.js';
import { processChannel } from './channel.js';
import { serve } from './serve.js';

if (process.send === undefined) throw new Error('spindle/worker process entry must be started by a pool (it needs an IPC channel)');
process.once('disconnect', () => {
  process.exit(0);
});

const channel = processChannel();
// The start message travels as every other (protocol/process-link.ts), wrapped in an array: a long workerData on the side pipe.
// Taken alone: whatever the pool sends after it is held until the runner listens (serve.ts, once the module has loaded).
const [{ boot, workerData }] = (await channel.nextMessage()) as readonly [ProcessStartMessage];
// The slots and the result log stay local: a process shares no memory with its pool (see channel.ts).
await serve(channel, { ...boot, sharedState: new SharedArrayBuffer(SHARED_STATE_BYTES) }, workerData, process.pid);
