import { MessageKind } from '../protocol/messages.js';
import { toWireError } from '../protocol/wire-error.js';
import type { PoolChannel } from './channel.js';

let uncaught: { readonly error: unknown } | undefined;

/**
 * A process worker's last word (see EXITING in protocol/messages.ts). A
 * thread's pool reads what it ran from shared memory and gets its uncaught
 * error as an event; a process's pool has neither, so the process tells it,
 * from its 'exit' listener, which task it was running (none, between tasks:
 * then no task is blamed and those it held run elsewhere) and what killed
 * it. A native crash or SIGKILL says nothing: the pool then blames the
 * oldest task it had not answered.
 */
export function reportExit(channel: PoolChannel, runningSeq: () => number): void {
  process.on('uncaughtException', (error) => {
    uncaught = { error };
    process.exit(1);
  });
  process.on('exit', () => {
    try {
      channel.send([MessageKind.Exiting, runningSeq(), uncaught === undefined ? undefined : toWireError(uncaught.error)]);
    } catch {
      // The pool has gone (the channel closed): nobody is left to tell.
    }
  });
}
