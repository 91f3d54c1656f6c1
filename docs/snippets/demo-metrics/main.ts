import assert from 'node:assert/strict';
// #region imports
import { Registry } from 'prom-client';
import { registerPoolMetrics } from 'spindle/prometheus';
// #endregion
import { Pool } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 1 });
// #region register
const registry = new Registry();
registerPoolMetrics(pool, { registry, prefix: 'spindle_' }); // also: labels: { … }
// #endregion

// Not shown: what the docs test checks.
assert.equal(await pool.run('double', 21), 42);
const metrics = await registry.metrics();
assert.match(metrics, /^spindle_queue_depth 0$/m);
assert.match(metrics, /^spindle_tasks_total\{outcome="completed"\} 1$/m);
await pool.close();
