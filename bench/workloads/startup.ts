import type { Workload } from './workload.js';

/** From the constructor to a pool that has answered one task (worker start and module load included). */
export const startup: Workload = {
  summary: 'constructor to the first answered task',
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
