import assert from 'node:assert/strict';
// #region shown
import { runOnce } from 'spindle';

const report = await runOnce<typeof import('./tasks.js'), 'buildReport'>(
  import.meta.resolve('./tasks.js'), 'buildReport', { month: '2024-05' }, { timeout: 60_000 },
);
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual(report, { month: '2024-05', days: 31 });
