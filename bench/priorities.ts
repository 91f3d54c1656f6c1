/**
 * `npm run bench:priorities`: what many distinct priorities cost a pool, and
 * whether the pool recovers afterwards. Each round runs a fresh 2-thread pool
 * through three phases, every task submitted at once:
 *
 *   1. one priority              (the baseline)
 *   2. a distinct priority each  (a deadline used as the priority)
 *   3. one priority again        (on the same pool: no lasting slowdown?)
 *
 * Rounds repeat the three phases in turn, so noise hits every phase alike;
 * the figures are medians over rounds. An unmeasured round comes first, and
 * each pool runs a burst of one priority before phase 1, so phase 1 is not
 * measured on code V8 has yet to optimise; each phase starts after a full
 * garbage collection. Besides tasks per second, each
 * phase is measured in tasks per second of the main thread's own CPU time
 * (Linux), which other work on a shared machine barely moves.
 *
 * Phase 2's priorities come in one of two orders:
 *   --order deadline   (default) each task's deadline is its arrival plus a
 *                      jitter of up to 1,000 places, and the earliest
 *                      deadline goes first: tasks are served roughly in
 *                      arrival order (the priority is minus the task's rank
 *                      by deadline, a small integer);
 *   --order scrambled  every priority in a random order: tasks are served in
 *                      an order unrelated to their arrival, the worst case.
 *
 *   npm run bench:priorities -- [--tasks 100000] [--rounds 5] [--order deadline|scrambled]
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Pool } from 'spindle';
import { workerModule } from './adapters/bench-pool.js';
import { formatNumber } from './report/table.js';
import type * as SpindleWorker from './workers/spindle-worker.js';
import { THROUGHPUT_WARM_UPS } from './workloads/workload.js';

const THREADS = 2;
const DEADLINE_JITTER = 1_000;

// A full collection before each phase, so that no phase pays for the garbage of the one before.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

type BenchWorker = typeof SpindleWorker;

interface Phase {
  readonly title: string;
  /** The priorities of `tasks` tasks, in submission order (computed before timing starts). */
  readonly priorities: (tasks: number) => Float64Array;
}

const orders = {
  /** Minus each task's rank by deadline (ties by arrival): the earliest deadline has the highest priority. */
  deadline: (tasks: number): Float64Array => {
    const deadlineOf = (index: number): number => index + ((index * 7_919) % DEADLINE_JITTER);
    const byDeadline = Array.from({ length: tasks }, (_, index) => index).sort((a, b) => deadlineOf(a) - deadlineOf(b) || a - b);
    const priorities = new Float64Array(tasks);
    for (const [rank, index] of byDeadline.entries()) priorities[index] = -rank;
    return priorities;
  },
  /** `index * step mod tasks`, with `step` coprime to `tasks`, visits every value once in a scattered order. */
  scrambled: (tasks: number): Float64Array => {
    const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
    let step = Math.floor(tasks * 0.618) | 1;
    while (gcd(step, tasks) !== 1) step += 2;
    return Float64Array.from({ length: tasks }, (_, index) => (index * step) % tasks);
  },
} as const;

const onePriority: Phase = { title: 'one priority', priorities: (tasks) => new Float64Array(tasks) };

/** Nanoseconds the main thread has run on a CPU (Linux), or undefined where /proc/thread-self/schedstat is missing. */
function mainThreadCpuNs(): number | undefined {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
  } catch {
    return undefined;
  }
}

interface PhaseFigures {
  readonly tasksPerSecond: number;
  /** Tasks per second of the main thread's own CPU time: what the machine's other tenants cannot take away. */
  readonly tasksPerCpuSecond: number | undefined;
}

/** Submits `tasks` tiny tasks at once, each with its phase's priority, and waits for all of them. */
async function runPhase(pool: Pool<BenchWorker>, phase: Phase, tasks: number): Promise<PhaseFigures> {
  const priorities = phase.priorities(tasks);
  const pending = new Array<Promise<number>>(tasks);
  collectGarbage();
  const cpuBefore = mainThreadCpuNs();
  const started = performance.now();
  for (let index = 0; index < tasks; index++) pending[index] = pool.run('noop', index, { priority: priorities[index] ?? 0 });
  await Promise.all(pending);
  const elapsedMs = performance.now() - started;
  const cpuAfter = mainThreadCpuNs();
  const cpuNs = cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore;
  return { tasksPerSecond: (tasks / elapsedMs) * 1000, tasksPerCpuSecond: cpuNs === undefined ? undefined : (tasks / cpuNs) * 1e9 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tasks: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' }, order: { type: 'string', default: 'deadline' } },
  });
  const tasks = Number(values.tasks);
  const rounds = Number(values.rounds);
  const order = values.order;
  if (!Number.isSafeInteger(tasks) || tasks < 1) throw new Error(`Expected \`--tasks\` to be an integer >= 1, got \`${values.tasks}\``);
  if (!Number.isSafeInteger(rounds) || rounds < 1) throw new Error(`Expected \`--rounds\` to be an integer >= 1, got \`${values.rounds}\``);
  if (order !== 'deadline' && order !== 'scrambled') throw new Error(`Expected \`--order\` to be \`deadline\` or \`scrambled\`, got \`${order}\``);
  const phases: readonly Phase[] = [onePriority, { title: `distinct priorities, ${order}`, priorities: orders[order] }, { ...onePriority, title: 'one priority again' }];

  // One unmeasured round first, so that V8 has optimised every phase's path through the pool.
  const warmUpPool = new Pool<BenchWorker>(workerModule('spindle-worker.js'), { threads: THREADS });
  for (const phase of phases) await runPhase(warmUpPool, phase, Math.min(tasks, THROUGHPUT_WARM_UPS));
  await warmUpPool.destroy();

  const figures = phases.map((): PhaseFigures[] => []);
  for (let round = 1; round <= rounds; round++) {
    const pool = new Pool<BenchWorker>(workerModule('spindle-worker.js'), { threads: THREADS });
    await runPhase(pool, onePriority, THROUGHPUT_WARM_UPS);
    const line: string[] = [];
    for (const [index, phase] of phases.entries()) {
      const measured = await runPhase(pool, phase, tasks);
      figures[index]?.push(measured);
      line.push(`${phase.title} ${formatNumber(measured.tasksPerSecond, 0)}`);
    }
    await pool.destroy();
    process.stderr.write(`round ${String(round)}/${String(rounds)}: ${line.join(', ')} tasks/s\n`);
  }

  const wall = figures.map((measured) => median(measured.map((figure) => figure.tasksPerSecond)));
  const cpu = figures.map((measured) => median(measured.map((figure) => figure.tasksPerCpuSecond ?? NaN)));
  const ratio = (values: readonly number[], phase: number): number => (values[phase] ?? NaN) / (values[0] ?? NaN);
  const row = (title: string, values: readonly [number, number], digits: number): string =>
    `  ${title.padEnd(34)} ${formatNumber(values[0], digits).padStart(9)} ${formatNumber(values[1], digits).padStart(12)}`;
  console.log(`${tasks.toLocaleString('en-US')} tiny tasks per phase, ${String(THREADS)} threads, medians of ${String(rounds)} rounds, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`);
  console.log(`  ${''.padEnd(34)} ${'tasks/s'.padStart(9)} ${'per CPU s'.padStart(12)}   (per second of the main thread's CPU time)`);
  for (const [index, phase] of phases.entries()) console.log(row(`${String(index + 1)}. ${phase.title}`, [wall[index] ?? NaN, cpu[index] ?? NaN], 0));
  console.log(row('phase 2 / phase 1', [ratio(wall, 1), ratio(cpu, 1)], 2) + '   (target: 0.50 or more)');
  console.log(row('phase 3 / phase 1', [ratio(wall, 2), ratio(cpu, 2)], 2) + '   (target: about 1)');
}

await main();
