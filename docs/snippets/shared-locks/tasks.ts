import type { TaskContext } from 'spindle/worker';
import {
  Mutex,
  ReadWriteLock,
  Semaphore,
  SharedCounter,
  SharedRecords,
  type MutexHandle,
  type ReadWriteLockHandle,
  type SemaphoreHandle,
  type SharedCounterHandle,
  type SharedRecordsHandle,
} from 'spindle/shared';

export const PAGE = { hits: 'int32', lastVisitor: { utf8: 16 } } as const;
export const SETTINGS = { rate: 'float64', label: { utf8: 16 } } as const;

export interface VisitJob {
  readonly lock: MutexHandle;
  readonly pages: SharedRecordsHandle<typeof PAGE>;
  readonly total: SharedCounterHandle<'int32'>; // the sum of every page's hits, kept with them under the lock
  readonly page: number;
  readonly visitor: string;
}

// #region mutex
// in the worker: two updates that must be seen together, under one lock
export function visit(job: VisitJob, context: TaskContext): number {
  const pages = SharedRecords.from(job.pages);
  const total = SharedCounter.from(job.total);
  using hold = Mutex.from(job.lock).lockSync({ timeout: 5_000, signal: context }); // released at the end of the block
  if (hold.ownerDied) total.set(pages.column('hits').reduce((sum, hits) => sum + hits, 0)); // a holder died mid-update: repair
  pages.set(job.page, { hits: pages.getField(job.page, 'hits') + 1, lastVisitor: job.visitor });
  return total.increment();
}
// #endregion

/** Does the first half of a visit and dies holding the lock, as a crash would. */
export function visitAndCrash(job: VisitJob): never {
  const pages = SharedRecords.from(job.pages);
  Mutex.from(job.lock).lockSync();
  pages.setField(job.page, 'hits', pages.getField(job.page, 'hits') + 1);
  process.exit(1);
}

// #region semaphore
// in the worker: at most `permits` tasks at a time in the section, whatever the pool size
export function useLicense(job: { licenses: SemaphoreHandle; inside: SharedCounterHandle<'int32'>; mostInside: SharedCounterHandle<'int32'> }, context: TaskContext): void {
  const inside = SharedCounter.from(job.inside);
  const mostInside = SharedCounter.from(job.mostInside);
  Semaphore.from(job.licenses).withPermitSync(
    () => {
      const now = inside.increment();
      for (let seen = mostInside.value; now > seen; seen = mostInside.value) mostInside.compareExchange(seen, now);
      const until = performance.now() + 5;
      while (performance.now() < until); // stands in for the licensed work
      inside.decrement();
    },
    { timeout: 5_000, signal: context },
  );
}
// #endregion

// #region read-write
// in the worker: many readers at once, never beside the writer
export function price(job: { lock: ReadWriteLockHandle; settings: SharedRecordsHandle<typeof SETTINGS>; amount: number }): string {
  const settings = SharedRecords.from(job.settings);
  return ReadWriteLock.from(job.lock).withReadLockSync(() => {
    const { rate, label } = settings.get(0); // both fields from the same write
    return `${(job.amount * rate).toFixed(2)} ${label}`;
  });
}
// #endregion
