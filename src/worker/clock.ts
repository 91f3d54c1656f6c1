/**
 * The worker's monotonic clock, in milliseconds. Not `performance.now()`:
 * the first read of the `performance` global loads Node's perf_hooks, which
 * took 1.2–1.9 ms of every worker's first task (docs/performance.md).
 * `process.hrtime()` is always loaded, and no slower per read.
 */
const hrtime = process.hrtime;

export function monotonicMs(): number {
  const [seconds, nanoseconds] = hrtime();
  return seconds * 1e3 + nanoseconds / 1e6;
}
