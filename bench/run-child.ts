import { spawn, spawnSync } from 'node:child_process';
import type { ChildResult } from './child.js';

const CHILD = new URL('./child.js', import.meta.url);

export interface ChildRequest {
  readonly pool: string;
  readonly workload: string;
  readonly threads: number;
  readonly scale: number;
}

export type ChildOutcome = { readonly ok: true; readonly result: ChildResult } | { readonly ok: false; readonly error: string };

/**
 * The raw floor runs with both its threads pinned to one CPU when `taskset`
 * is there: on a VM, two threads on two CPUs pay for waking a halted vCPU on
 * every message (≈60 µs a round trip here), two threads on one CPU only for a
 * context switch (≈6 µs). Pinned, the floor is the fastest plain
 * worker_threads can be, every run, rather than whichever placement the
 * scheduler happened to pick. Pools are never pinned.
 */
export const RAW_PINNED = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

/** Runs one measurement in a fresh Node process and reads the JSON line it prints. */
export function runChild(request: ChildRequest, timeoutMs: number): Promise<ChildOutcome> {
  const args = ['--pool', request.pool, '--workload', request.workload, '--threads', String(request.threads), '--scale', String(request.scale)];
  return new Promise((resolve) => {
    const command = [process.execPath, CHILD.pathname, ...args];
    if (request.pool === 'raw' && RAW_PINNED) command.unshift('taskset', '-c', '0');
    const [file = process.execPath, ...rest] = command;
    const child = spawn(file, rest, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line.startsWith('{')) {
        resolve({ ok: true, result: JSON.parse(line) as ChildResult });
        return;
      }
      const why = signal === 'SIGKILL' ? `killed after ${timeoutMs} ms` : `exit ${String(code ?? signal)}`;
      const detail = stderr.trim().split('\n').slice(-3).join(' | ');
      resolve({ ok: false, error: `${why}${detail === '' ? '' : `: ${detail}`}` });
    });
  });
}
