import assert from 'node:assert/strict';
import { Pool } from 'spindle';
import { Mutex, ReadWriteLock, Semaphore, SharedCounter, SharedRecords } from 'spindle/shared';
import { PAGE, SETTINGS } from './tasks.js';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { threads: 3 });

// #region mutex
// in the caller: the lock and the data it guards are made here and passed to every task
const lock = new Mutex();
const pages = new SharedRecords(PAGE, 8);
const total = new SharedCounter();
const job = (page: number, visitor: string) => ({ lock: lock.toHandle(), pages: pages.toHandle(), total: total.toHandle(), page, visitor });

await Promise.all(Array.from({ length: 100 }, (_, visit) => pool.run('visit', job(visit % 8, `visitor ${String(visit)}`))));

// the main thread takes the same lock without blocking its event loop
const audit = await lock.withLock(() => ({ total: total.value, sum: pages.column('hits').reduce((sum, hits) => sum + hits, 0) }), { timeout: 5_000 });
// #endregion

// #region owner-died
// a worker dies holding the lock: the pool hears of its exit and releases the lock for the next holder
await pool.run('visitAndCrash', job(3, 'crasher')).catch((error: unknown) => console.log((error as { code: string }).code)); // ERR_WORKER_EXITED
const repaired = await lock.withLock((hold) => {
  if (hold.ownerDied) total.set(pages.column('hits').reduce((sum, hits) => sum + hits, 0));
  return { ownerDied: hold.ownerDied, total: total.value };
});
console.log(repaired); // { ownerDied: true, total: 101 }
// #endregion

// #region semaphore
// in the caller: 2 licenses for 12 tasks on 3 threads
const licenses = new Semaphore(2);
const inside = new SharedCounter();
const mostInside = new SharedCounter();
const handles = { licenses: licenses.toHandle(), inside: inside.toHandle(), mostInside: mostInside.toHandle() };
await Promise.all(Array.from({ length: 12 }, () => pool.run('useLicense', handles)));
console.log(mostInside.value); // 2 at most: never three tasks in the section at once
// #endregion

// #region read-write
// in the caller: write both fields under the write lock; readers see the old pair or the new one
const settingsLock = new ReadWriteLock();
const settings = new SharedRecords(SETTINGS, 1);
await settingsLock.withWriteLock(() => settings.set(0, { rate: 1.1, label: 'EUR' }));
const quoted = pool.run('price', { lock: settingsLock.toHandle(), settings: settings.toHandle(), amount: 100 });
await settingsLock.withWriteLock(() => settings.set(0, { rate: 0.9, label: 'GBP' }));
console.log(await quoted); // "110.00 EUR" or "90.00 GBP", never "90.00 EUR"
// #endregion

// Not shown: what the docs test checks.
assert.deepEqual(audit, { total: 100, sum: 100 });
assert.deepEqual(repaired, { ownerDied: true, total: 101 });
assert.ok(mostInside.value >= 1 && mostInside.value <= 2);
assert.ok(['110.00 EUR', '90.00 GBP'].includes(await quoted));
assert.equal(lock.locked, false);
await pool.close();
