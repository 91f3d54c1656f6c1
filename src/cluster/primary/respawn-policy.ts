/**
 * How long a slot waits before it forks a replacement, after `earlyDeaths`
 * early deaths in a row (a process that exited before it was ready, or
 * within `minUptime` of it): the first replacement at once, then `initial`,
 * doubling each time, up to `max`. A process that lived past `minUptime`
 * resets the count, so its replacement is forked at once.
 *
 *   early deaths  1   2     3     4     5     …
 *   delay (ms)    0   100   200   400   800   … up to 15,000 (the defaults)
 */
export function respawnDelay(earlyDeaths: number, initial: number, max: number): number {
  if (earlyDeaths <= 1) return 0;
  return Math.min(max, initial * 2 ** (earlyDeaths - 2));
}
