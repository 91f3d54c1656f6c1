/** The cases of `npm run bench:shared`: for each, its variants, what it measures, and how to run one. */
import { ASYNC_VARIANTS, asyncTrial, LOCK_VARIANTS, lockTrial, uncontendedTrial } from './lock-trials.js';
import { ARGUMENT_VARIANTS, argumentTrial } from './argument-trials.js';
import { RING_VARIANTS, ringTrial } from './ring-trials.js';
import type { RingVariant } from './ring-worker.js';

const MB = 1024 * 1024;

/** µs per `await pool.run()` whose argument of `bytes` is a SharedArrayBuffer (shared) or a Uint8Array (copied). */
function argumentCase(label: string, bytes: number) {
  return {
    variants: ARGUMENT_VARIANTS,
    metric: `µs per pool.run() with a ${label} argument, shared or copied`,
    higherIsBetter: false,
    run: (variant: string, scale: number) => argumentTrial(variant as (typeof ARGUMENT_VARIANTS)[number], bytes, Math.round(400 * scale)),
  } as const;
}

/** Each case: its variants, what it measures, and how to run one variant at a scale. */
export const CASES = {
  uncontended: {
    variants: LOCK_VARIANTS,
    metric: 'ns per lock/unlock, 1 thread, both locks in alternating slices, fastest slice',
    higherIsBetter: false,
    run: async (variant: string, scale: number) => (await uncontendedTrial(Math.round(4_000_000 * scale)))[variant as (typeof LOCK_VARIANTS)[number]],
    /** Both variants from one trial (one thread alternating them), instead of one trial each. */
    together: (scale: number): Promise<Readonly<Record<string, number>>> => uncontendedTrial(Math.round(4_000_000 * scale)),
  },
  contended: { variants: LOCK_VARIANTS, metric: 'ns per lock/unlock, 4 threads on one lock', higherIsBetter: false, run: (variant: string, scale: number) => lockTrial(variant as (typeof LOCK_VARIANTS)[number], 4, Math.round(2_000_000 * scale)) },
  async: { variants: ASYNC_VARIANTS, metric: 'ns per await lock + release, main thread', higherIsBetter: false, run: (variant: string, scale: number) => asyncTrial(variant as (typeof ASYNC_VARIANTS)[number], Math.round(1_000_000 * scale)) },
  'ring-4k': { variants: RING_VARIANTS, metric: 'MB/s, 4 KiB chunks, worker to worker', higherIsBetter: true, run: (variant: string, scale: number) => ringTrial(variant as RingVariant, 4 * 1024, Math.round(128 * scale) * MB) },
  'ring-64k': { variants: RING_VARIANTS, metric: 'MB/s, 64 KiB chunks, worker to worker', higherIsBetter: true, run: (variant: string, scale: number) => ringTrial(variant as RingVariant, 64 * 1024, Math.round(256 * scale) * MB) },
  // The crossovers of docs/shared-memory.md: the chunk size where a ring and postMessage meet, the argument size where sharing beats copying.
  'ring-256b': { variants: ['spindle', 'postMessage'] as const, metric: 'MB/s, 256-byte chunks, worker to worker', higherIsBetter: true, run: (variant: string, scale: number) => ringTrial(variant as RingVariant, 256, Math.round(16 * scale) * MB) },
  'ring-1m': { variants: ['spindle', 'postMessage'] as const, metric: 'MB/s, 1 MiB chunks, worker to worker', higherIsBetter: true, run: (variant: string, scale: number) => ringTrial(variant as RingVariant, MB, Math.round(512 * scale) * MB) },
  'argument-1k': argumentCase('1 KiB', 1024),
  'argument-64k': argumentCase('64 KiB', 64 * 1024),
  'argument-1m': argumentCase('1 MiB', MB),
  'argument-16m': argumentCase('16 MiB', 16 * MB),
} as const;
export type CaseName = keyof typeof CASES;
/** The variant name that asks a case with `together` for all its variants from one trial. */
export const TOGETHER = 'together';
export const isCaseName = (name: string): name is CaseName => Object.hasOwn(CASES, name);
