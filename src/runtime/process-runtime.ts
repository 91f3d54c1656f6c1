import { fork, type Serializable } from 'node:child_process';
import type { Socket } from 'node:net';
import { constants } from 'node:os';
import { PassThrough } from 'node:stream';
import type { ProcessStartMessage } from '../protocol/messages.js';
import { heapFlags, inheritedProcessFlags } from './process-flags.js';
import { permissionFlags } from './permissions.js';
import type { RuntimeEvents, RuntimeWorker, WorkerSpec } from './runtime.js';
import { findUncrossable } from '../protocol/uncrossable.js';
import { ProcessLink } from '../protocol/process-link.js';
import { watchOverWorker, workerGone } from './reaper.js';

const processEntry = new URL('../worker/process-entry.cjs', import.meta.url);
/** The end of a worker's stderr kept to recognise how it died (V8 prints its out-of-memory report there). */
const STDERR_TAIL = 8 * 1024;
/** How much of that tail an exit error quotes. */
const STDERR_IN_ERROR = 1024;
const OUT_OF_MEMORY = /JavaScript heap out of memory|Reached heap limit|Allocation failed/;

/** Node's IPC refuses a SharedArrayBuffer but would turn a MessagePort into {}: refuse both, naming the runtime. */
function refuseUncrossable(message: readonly unknown[]): void {
  const uncrossable = findUncrossable(message);
  if (uncrossable !== undefined) {
    throw new Error(`A ${uncrossable} cannot cross to a process worker (runtime: 'process'): processes share no memory and no ports. Use runtime: 'thread' for it`);
  }
}

/**
 * Runs a worker as a child process (`runtime: 'process'`). Messages cross
 * its IPC channel as JSON when JSON keeps them as they are, and as V8's
 * structured-clone bytes otherwise (see protocol/process-wire.ts), long
 * ones on a side pipe (fd 4, see protocol/process-link.ts), so that
 * structured-clone types survive. Nothing is shared with the pool: no memory (the worker sends
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
    serialization: 'json',
    execArgv,
    // A copy: Node adds to it (NODE_V8_COVERAGE under coverage, for one), and the resolved option is frozen.
    env: { ...(spec.env ?? process.env) },
    stdio: ['ignore', 'inherit', 'pipe', 'ipc', 'pipe'],
  });
  // The pid and the pipe are undefined if the fork failed outright (EMFILE): 'error' and 'exit' report that.
  const pid = child.pid;
  // Killed with the workers still listed if this process dies while it is stuck in a task (see reaper.ts).
  if (pid !== undefined) watchOverWorker(pid);
  const pipe = (child.stdio[4] as Socket | null | undefined) ?? undefined;
  const link = new ProcessLink((wire) => {
    if (child.connected) child.send(wire as Serializable);
  }, pipe ?? new PassThrough(), refuseUncrossable);
  let stderrTail = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL);
  });
  link.onMessage(events.message);
  child.on('message', (wire) => {
    link.receive(wire);
  });
  child.on('error', (error) => {
    events.error(error);
  });
  // A write to a dead child's pipe fails with EPIPE: its exit is reported as such.
  pipe?.on('error', () => undefined);
  // 'exit' can come before the last IPC messages, frames and stderr: report once the channel, the pipe and stderr are closed too.
  let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  let channelClosed = !child.connected;
  let stderrClosed = child.stderr === null;
  let pipeClosed = pipe === undefined;
  let reaperGone = true;
  const maybeReport = (): void => {
    if (exited === undefined || !channelClosed || !stderrClosed || !pipeClosed || !reaperGone) return;
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
    // The last worker of this process takes its reaper with it: reported once that has exited too (see reaper.ts).
    const reaperExited = pid === undefined ? undefined : workerGone(pid);
    if (reaperExited === undefined) {
      maybeReport();
      return;
    }
    reaperGone = false;
    void reaperExited.then(() => {
      reaperGone = true;
      maybeReport();
    });
  });
  child.on('disconnect', () => {
    channelClosed = true;
    maybeReport();
  });
  child.stderr?.on('close', () => {
    stderrClosed = true;
    maybeReport();
  });
  pipe?.on('close', () => {
    pipeClosed = true;
    maybeReport();
  });
  // An IPC channel has no port to poll: an idle process worker keeps its event loop turning instead (runner.ts).
  link.send([startMessage(spec)]);
  return {
    threadId: pid ?? 0,
    sharesMemory: false,
    post(message) {
      link.send(message);
    },
    terminate() {
      child.kill('SIGKILL');
    },
    ref(keepAlive) {
      if (keepAlive) {
        child.ref();
        child.channel?.ref();
        (child.stderr as Socket | null)?.ref();
        pipe?.ref();
      } else {
        child.unref();
        child.channel?.unref();
        (child.stderr as Socket | null)?.unref();
        pipe?.unref();
      }
    },
  };
}

/** A process worker's start message, with nothing in it left undefined (see ProcessStartMessage): JSON carries it. */
function startMessage(spec: WorkerSpec): ProcessStartMessage {
  const { moduleUrl, maxHeapUsedBytes, busyPollUs } = spec.bootData;
  const boot = maxHeapUsedBytes === undefined ? { moduleUrl, busyPollUs } : { moduleUrl, maxHeapUsedBytes, busyPollUs };
  return spec.workerData === undefined ? { boot } : { boot, workerData: spec.workerData };
}
