import { readdirSync, readFileSync } from 'node:fs';

/** Resident and proportional set size of one process, in bytes (PSS splits shared pages among the processes that map them). */
export interface ProcessMemory {
  readonly pid: number;
  readonly rssBytes: number;
  readonly pssBytes: number;
}

/** The child processes of this process, from /proc/self/task/<tid>/children (Linux). */
export function childPids(): number[] {
  const pids: number[] = [];
  for (const thread of readdirSync('/proc/self/task')) {
    const listed = readFileSync(`/proc/self/task/${thread}/children`, 'utf8').trim();
    if (listed !== '') pids.push(...listed.split(/\s+/).map(Number));
  }
  return pids;
}

/** VmRSS from /proc/<pid>/status and Pss from /proc/<pid>/smaps_rollup (NaN where the kernel has none). */
export function processMemory(pid: number): ProcessMemory {
  return { pid, rssBytes: kilobytes(`/proc/${pid}/status`, 'VmRSS'), pssBytes: kilobytes(`/proc/${pid}/smaps_rollup`, 'Pss') };
}

function kilobytes(file: string, field: string): number {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return Number.NaN;
  }
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
  return match?.[1] === undefined ? Number.NaN : Number(match[1]) * 1024;
}
