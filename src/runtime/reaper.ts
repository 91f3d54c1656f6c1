import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

/**
 * The reaper's script, for `/bin/sh`. It reads lines from the pipe that only
 * this process holds open, `+pid` for a worker process started and `-pid`
 * for one that has exited; when the pipe closes (this process ended, however:
 * even by SIGKILL, the kernel closes it), it kills the workers still listed
 * and exits. It ignores the signals a terminal or a supervisor sends a whole
 * process group, so that it outlives this process to do its one job.
 */
const SCRIPT = `trap '' HUP INT QUIT TERM
p=' '
while IFS= read -r l; do
  case $l in
    +*) p="$p\${l#+} " ;;
    -*) x=" \${l#-} "; case $p in *"$x"*) p="\${p%%"$x"*} \${p#*"$x"}" ;; esac ;;
  esac
done
[ -n "\${p# }" ] && kill -9 $p 2>/dev/null
exit 0
`;

/** How long the last worker's exit waits, at most, for its reaper's (see workerGone). */
const EXIT_WAIT_MS = 1_000;

/** The process workers started by this process that have not exited. */
const live = new Set<number>();
let reaper: { readonly child: ChildProcess; readonly exited: Promise<void> } | undefined;
/** Set when `/bin/sh` cannot be started here: process workers then rely on their IPC channel alone. */
let unavailable = process.platform === 'win32';

/**
 * Watches over a worker process `pid`: a pool's (`runtime: 'process'`) or a
 * cluster's. Such a process exits by itself when its IPC channel closes, but
 * only if its event loop turns: one stuck in a synchronous call when this
 * process dies (an endless loop in task code, say) would never notice, and
 * live on as an orphan. So the first one also starts a reaper, one per host
 * process: a `/bin/sh` of about 1.7 MB that holds a pipe from this process,
 * learns each worker's pid, and kills those still running once that pipe
 * closes. It keeps nothing alive: this process exits as if it were not
 * there; and it exits when the last worker has. Not on Windows (no
 * `/bin/sh`).
 */
export function watchOverWorker(pid: number): void {
  live.add(pid);
  if (reaper === undefined) startReaper();
  else tell(`+${String(pid)}`);
}

/**
 * The worker process `pid` has exited: the reaper forgets it (its pid may be
 * reused). With none left, the reaper is ended too; the promise returned
 * then settles once it has exited, so that a pool closed leaves no process
 * behind.
 */
export function workerGone(pid: number): Promise<void> | undefined {
  if (!live.delete(pid)) return undefined;
  // Told even when it is about to end: it kills what it still lists, and this pid is free for reuse.
  tell(`-${String(pid)}`);
  if (live.size > 0 || reaper === undefined) return undefined;
  // None left to watch over: its pipe closes with nothing listed, and it exits. The next worker brings a new one.
  const { child, exited } = reaper;
  reaper = undefined;
  // Awaited (a pool's close() waits for it): referenced until it has exited, or this process could end while waiting;
  // though not for long, whatever becomes of it (a stopped process group, say).
  child.ref();
  child.stdin?.end();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.unref();
      resolve();
    }, EXIT_WAIT_MS);
    void exited.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function tell(line: string): void {
  reaper?.child.stdin?.write(`${line}\n`);
}

function startReaper(): void {
  if (unavailable) return;
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'] });
  } catch {
    unavailable = true;
    return;
  }
  const exited = new Promise<void>((resolve) => {
    child.on('error', () => {
      // No /bin/sh here (ENOENT), or it could not start: the workers' IPC channel is all there is.
      unavailable = true;
      if (reaper?.child === child) reaper = undefined;
      resolve();
    });
    child.on('exit', () => {
      // Killed by someone: the next worker started brings a new one, told of every worker still running.
      if (reaper?.child === child) reaper = undefined;
      resolve();
    });
  });
  reaper = { child, exited };
  // A reaper that died meanwhile: the write fails with EPIPE, and its exit is handled above.
  child.stdin?.on('error', () => undefined);
  child.unref();
  (child.stdin as Socket | null)?.unref();
  tell([...live].map((pid) => `+${String(pid)}`).join('\n'));
}
