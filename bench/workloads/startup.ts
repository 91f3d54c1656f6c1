import type { Workload } from './workload.js';

/**
 * Runs per pool and round: one start swings by ±30 % from run to run on a
 * 2-core VM (the children boot side by side with everything else), so each
 * round times five fresh processes of each pool, interleaved.
 */
const RUNS_PER_ROUND = 5;

/** From the constructor to a pool that has answered one task (worker start and module load included). */
export const startup: Workload = {
  summary: `constructor to the first answered task (${String(RUNS_PER_ROUND)} fresh processes of each pool per round, interleaved)`,
  runsPerRound: RUNS_PER_ROUND,
  metrics: [{ key: 'startupMs', label: 'ms', better: 'lower', digits: 1 }],
  measure: async ({ createPool }) => {
    const started = performance.now();
    const pool = createPool();
    await pool.run('noop', 0);
    const startupMs = performance.now() - started;
    await pool.close();
    return { startupMs };
  },
};
