import type { MessagePort, Transferable } from 'node:worker_threads';
import { findUncrossable } from '../protocol/uncrossable.js';
import type { Socket } from 'node:net';
import { ProcessLink } from '../protocol/process-link.js';

/**
 * How a worker talks to its pool, whatever carries the messages: a
 * MessagePort of its own (a thread) or the IPC channel (a child process).
 * The runner sees only this.
 */
export interface PoolChannel {
  /** Sends a message; throws if it cannot be cloned. */
  send(message: readonly unknown[], transferList?: readonly Transferable[]): void;
  onMessage(listener: (message: readonly unknown[]) => void): void;
  /** The next message if one is already waiting (for busy polling), without waiting; undefined if none, or if this channel cannot tell. */
  poll(): readonly unknown[] | undefined;
  /** Lets go of the channel, so that the worker can exit. */
  close(): void;

  /**
   * Whether the pool shares memory with this worker (the claims, the abort
   * slot and the result log of protocol/shared-slots.ts): results may then
   * be held back for batching, and the pool claims tasks atomically. Without
   * it (a process), each result goes out as it finishes, and the runner
   * returns to its event loop before and after each task the pool flagged
   * (one with a signal, a timeout or a queueTimeout: see wireSeq in the
   * dispatcher) and after any task that ran TAKE_BACK_AFTER_MS or more, so
   * that the pool's messages about them (an abort, tasks taken back behind
   * one) are seen before the next task starts; other tasks in hand run back
   * to back.
   */
  readonly sharesMemory: boolean;
}

/** A thread's channel: the MessagePort the pool handed over. */
export function portChannel(port: MessagePort): PoolChannel {
  const { receiveMessageOnPort } = process.getBuiltinModule('node:worker_threads');
  return {
    send(message, transferList = []) {
      port.postMessage(message, transferList);
    },
    onMessage(listener) {
      port.on('message', listener);
    },
    poll() {
      return receiveMessageOnPort(port)?.message as readonly unknown[] | undefined;
    },
    close() {
      port.close();
    },
    sharesMemory: true,
  };
}

/** Node's IPC refuses a SharedArrayBuffer but would turn a MessagePort into {}: refuse both, naming the runtime. */
function refuseUncrossable(message: readonly unknown[]): void {
  const uncrossable = findUncrossable(message);
  if (uncrossable !== undefined) {
    throw new Error(`A ${uncrossable} cannot cross from a process worker (runtime: 'process') to its pool: processes share no memory and no ports`);
  }
}

/** The side pipe a process worker's pool opens next to the IPC channel (see protocol/process-link.ts). */
const SIDE_PIPE_FD = 4;

/**
 * A child process's channel: its IPC channel to the pool's process and a
 * side pipe, as protocol/process-link.ts joins them. `onMessage` sets the
 * one listener (a later call replaces it); `nextMessage` takes one message
 * and holds the rest for the next listener. Transfer lists do not apply
 * (everything is copied).
 */
export function processChannel(): PoolChannel & { readonly nextMessage: () => Promise<readonly unknown[]> } {
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('spindle process worker: no IPC channel (it must be started by a pool)');
  // Opened when a message first needs it (see ProcessLink).
  const openPipe = (): Socket => {
    const { Socket } = process.getBuiltinModule('node:net');
    const pipe = new Socket({ fd: SIDE_PIPE_FD, readable: true, writable: true });
    // The IPC channel keeps the worker alive, and its closing ends it (process-entry.ts); a pool gone mid-write is no error here.
    pipe.unref();
    pipe.on('error', () => undefined);
    return pipe;
  };
  const link = new ProcessLink((wire) => send(wire), openPipe, refuseUncrossable);
  process.on('message', (wire: unknown) => {
    link.receive(wire);
  });
  return {
    send(message) {
      link.send(message);
    },
    onMessage(listener) {
      link.onMessage(listener);
    },
    nextMessage() {
      return link.nextMessage();
    },
    poll() {
      return undefined;
    },
    close() {
      process.disconnect();
    },
    sharesMemory: false,
  };
}
