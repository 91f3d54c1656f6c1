/**
 * The script every process worker starts with (`runtime: 'process'`): it
 * waits for its start message on the IPC channel, then serves the pool (see
 * serve.ts). It never outlives its pool: when the IPC channel closes (the
 * pool's process ended, even by SIGKILL), it exits.
 */
import { once } from 'node:events';
import type { ProcessStartMessage } from '../protocol/messages.js';
import { fromWire } from '../protocol/process-wire.js';
import { SHARED_STATE_BYTES } from '../protocol/shared-slots.js';
import { processChannel } from './channel.js';
import { serve } from './serve.js';

if (process.send === undefined) throw new Error('spindle/worker process entry must be started by a pool (it needs an IPC channel)');
process.once('disconnect', () => {
  process.exit(0);
});

const [wire] = (await once(process, 'message')) as [unknown];
// The start message travels in the same form as every other (protocol/process-wire.ts), wrapped in an array.
const [{ boot, workerData }] = fromWire(wire) as [ProcessStartMessage];
// The slots and the result log stay local: a process shares no memory with its pool (see channel.ts).
await serve(processChannel(), { ...boot, sharedState: new SharedArrayBuffer(SHARED_STATE_BYTES) }, workerData, process.pid);
