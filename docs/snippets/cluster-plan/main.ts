import assert from 'node:assert/strict';
// #region shown
import { planCluster } from 'spindle/cluster';

console.log(planCluster({ cores: 8 }).summary); // 2 processes × (1 event loop + 3 pool threads) = 8 threads on 8 cores
console.log(planCluster({ cores: 8, processes: 4 }).summary); // 4 processes × (1 event loop + 1 pool thread) = 8 threads on 8 cores
console.log(planCluster({ cores: 2 }).summary); // 1 process × (1 event loop + 1 pool thread) = 2 threads on 2 cores
try {
  planCluster({ cores: 2, processes: 2 }); // 2 × (1 + 1) = 4 threads on 2 cores
} catch (error) {
  console.log((error as { code: string }).code); // ERR_INVALID_OPTION
}
console.log(planCluster({ cores: 2, processes: 2, oversubscribe: true }).oversubscribed); // true
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual([planCluster({ cores: 8 }).processes, planCluster({ cores: 8 }).threadsPerProcess], [2, 3]);
assert.throws(() => planCluster({ cores: 2, processes: 2 }), { code: 'ERR_INVALID_OPTION' });
