/** Helpers of the process-runtime tests: a run counter that works across processes, and whether a process is alive. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    return true;
  } catch {
    return false;
  }
}
