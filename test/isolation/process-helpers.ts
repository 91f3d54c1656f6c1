/** Helpers of the process-runtime tests: a run counter that works across processes, and whether a process is alive. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Counts task runs in a file, one line per run (no memory is shared with a
 * process worker, so the SharedArrayBuffer counters of the thread tests
 * cannot be used).
 */
export class FileRunCounter {
  readonly #directory = mkdtempSync(join(tmpdir(), 'spindle-runs-'));
  readonly file = join(this.#directory, 'runs');

  /** How often each of the first `size` indexes ran. */
  counts(size: number): number[] {
    const all = this.all();
    return Array.from({ length: size }, (_, index) => all.get(index) ?? 0);
  }

  /** How often each index that ran at all ran. */
  all(): Map<number, number> {
    const counts = new Map<number, number>();
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      return counts;
    }
    for (const line of text.split('\n')) {
      if (line !== '') counts.set(Number(line), (counts.get(Number(line)) ?? 0) + 1);
    }
    return counts;
  }

  dispose(): void {
    rmSync(this.#directory, { recursive: true, force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A process killed after its parent died is a zombie until whoever adopted it reaps it: dead all the same.
  return processState(pid) !== 'Z';
}

/** The state letter of process `pid` from /proc (R, S, Z …), or undefined where there is no /proc. */
function processState(pid: number): string | undefined {
  return statFields(String(pid))?.[0];
}

/** The processes whose parent is `pid`, from /proc (empty where there is none). */
export function childrenOf(pid: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  return entries.filter((entry) => Number(statFields(entry)?.[1]) === pid).map(Number);
}

/** The fields of /proc/<pid>/stat after the command name (state, parent pid, …); undefined if there is none (gone, or no /proc). */
function statFields(pid: string): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}
