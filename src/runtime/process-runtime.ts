import { fork } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import type { ProcessStartMessage } from '../protocol/messages.js';
import { heapFlags, inheritedProcessFlags } from './process-flags.js';
import { permissionFlags } from './permissions.js';
import type { RuntimeEvents, RuntimeWorker, WorkerSpec } from './runtime.js';
import { findUncrossable } from '../protocol/uncrossable.js';

const processEntry = new URL('../worker/process-entry.js', import.meta.url);
/** The end of a worker's stderr kept to recognise how it died (V8 prints its out-of-memory report there). */
const STDERR_TAIL = 8 * 1024;
/** How much of that tail an exit error quotes. */
const STDERR_IN_ERROR = 1024;
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Allocation failed/;

/**
 * Runs a worker as a child process (`runtime: 'process'`), forked with
 * `serialization: 'advanced'` so that structured-clone types survive the
 * IPC channel. Nothing is shared with the pool: no memory (the worker sends
 * each result as it finishes), no transfer (everything is copied), no
 * SharedArrayBuffer or MessagePort (refused, naming the runtime). A native
 * crash, `process.abort()` or a fatal V8 error ends only this process.
 */
export function startProcessWorker(spec: WorkerSpec, events: RuntimeEvents): RuntimeWorker {
  const flags = spec.execArgv === undefined ? inheritedProcessFlags() : spec.execArgv;
  const execArgv = [
    ...flags,
    ...heapFlags(spec.resourceLimits),
    ...(spec.permissions === undefined ? [] : permissionFlags(spec.permissions, processEntry, spec.bootData.moduleUrl, flags)),
  ];
  const child = fork(processEntry, [], {
    serialization: 'advanced',
    execArgv,
    // A copy: Node adds to it (NODE_V8_COVERAGE under coverage, for one), and the resolved option is frozen.
    env: { ...(spec.env ?? process.env) },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  child.on('message', (message) => {
    events.message(message as readonly unknown[]);
  });
  child.on('error', (error) => {
    events.error(error);
  });
  // 'exit' can come before the last IPC messages and stderr: report once the channel and stderr are closed too.
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let channelClosed = !child.connected;
  let stderrClosed = child.stderr === null;
  const maybeReport = (): void => {
    if (exited === undefined || !channelClosed || !stderrClosed) return;
    const { code, signal } = exited;
    if (OUT_OF_MEMORY.test(stderrTail)) events.error(Object.assign(new Error('The worker process ran out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
    else if (signal !== null) events.error(Object.assign(new Error(`The worker process was killed by ${signal}`), { signal }));
    else if (code !== 0 && stderrTail.trim() !== '') {
      // Said only if nothing better was (an uncaught error reported on the way out): Node's own last words, e.g. ERR_ACCESS_DENIED while loading.
      events.error(new Error(`The worker process exited with code ${String(code)}; its stderr ended with:\n${stderrTail.trim().slice(-STDERR_IN_ERROR)}`), { weak: true });
    }
    events.exit(code ?? 128 + constants.signals[signal ?? 'SIGKILL'], signal ?? undefined);
  };
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    maybeReport();
  });
  child.on('disconnect', () => {
    channelClosed = true;
    maybeReport();
  });
  child.stderr?.on('close', () => {
    stderrClosed = true;
    maybeReport();
  });
  // Busy polling needs a port to poll; an IPC channel has none (and a spinning child would take the CPU the pool needs).
  const { moduleUrl, maxHeapUsedBytes } = spec.bootData;
  const start: ProcessStartMessage = { boot: { moduleUrl, maxHeapUsedBytes, busyPollUs: 0 }, workerData: spec.workerData };
  child.send(start);
  return {
    threadId: child.pid ?? 0,
    sharesMemory: false,
    post(message) {
      const uncrossable = findUncrossable(message);
      if (uncrossable !== undefined) {
        throw new Error(`A ${uncrossable} cannot cross to a process worker (runtime: 'process'): processes share no memory and no ports. Use runtime: 'thread' for it`);
      }
      if (child.connected) child.send(message);
    },
    terminate() {
      child.kill('SIGKILL');
    },
    ref(keepAlive) {
      if (keepAlive) {
        child.ref();
        child.channel?.ref();
        (child.stderr as Socket | null)?.ref();
      } else {
        child.unref();
        child.channel?.unref();
        (child.stderr as Socket | null)?.unref();
      }
    },
  };
}
