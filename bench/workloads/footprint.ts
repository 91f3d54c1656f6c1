import { existsSync } from 'node:fs';
import { childPids, processMemory } from './process-memory.js';
import { warmUp, type Workload } from './workload.js';

const MIB = 1024 * 1024;
/** Time for the page cache and the pool's own allocations to settle before the second RSS reading. */
const SETTLE_MS = 300;

/**
 * What one worker costs, run for Spindle with threads and with processes.
 * Memory: this process's RSS before the pool and after every worker has run
 * 2,000 tiny tasks; a thread's cost is that growth divided by the workers; a
 * process's is that growth (the pool side) plus each child's own VmRSS
 * (/proc/<pid>/status), divided by the workers. A child's RSS counts the
 * pages it shares with its siblings (the node binary); PSS, which splits
 * them, is reported beside it. Startup: constructor to the first answered
 * task, on a pool of one worker.
 */
export const footprint: Workload = {
  summary: 'per worker: RSS growth of this process (threads) or pool-side growth + child VmRSS (processes), after 2,000 tiny tasks; startup = constructor to first answer, one worker',
  metrics: [
    { key: 'rssPerWorkerMiB', label: 'RSS/worker MiB', better: 'lower', digits: 1 },
    { key: 'pssPerWorkerMiB', label: 'PSS/worker MiB', better: 'lower', digits: 1 },
    { key: 'startupMs', label: 'startup ms', better: 'lower', digits: 1 },
  ],
  measure: async ({ createPool, createPoolOf, threads }) => {
    if (!existsSync('/proc/self/status')) throw new Error('The footprint reads /proc (Linux only)');
    const started = performance.now();
    const single = createPoolOf(1);
    await single.run('noop', 0);
    const startupMs = performance.now() - started;
    await single.close();
    await settle();

    const before = processMemory(process.pid);
    const pool = createPool();
    await warmUp(pool);
    await settle();
    const after = processMemory(process.pid);
    const children = childPids().map(processMemory);
    const childRss = children.reduce((sum, child) => sum + child.rssBytes, 0);
    const childPss = children.reduce((sum, child) => sum + child.pssBytes, 0);
    await pool.close();
    const growth = after.rssBytes - before.rssBytes;
    const pssGrowth = after.pssBytes - before.pssBytes;
    return {
      rssPerWorkerMiB: (growth + childRss) / threads / MIB,
      pssPerWorkerMiB: (pssGrowth + childPss) / threads / MIB,
      startupMs,
      poolSideGrowthMiB: growth / MIB,
      childProcesses: children.length,
      childRssPerProcessMiB: children.length === 0 ? 0 : childRss / children.length / MIB,
    };
  },
};

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}
