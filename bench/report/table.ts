import { WORKLOADS, type WorkloadName } from '../workloads/registry.js';
import { spindleAdvantage, type Medians } from './summary.js';

export function formatNumber(value: number | undefined, digits: number): string {
  if (value === undefined || Number.isNaN(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export function formatAdvantage(advantage: number): string {
  if (Number.isNaN(advantage)) return '';
  return advantage >= 10 ? `${advantage.toFixed(0)}×` : `${advantage.toFixed(2)}×`;
}

/**
 * One row per metric, one column per pool. A peer's cell reads
 * "value (Spindle's advantage)"; the raw column is plain worker_threads.
 */
export function formatTable(medians: Medians, workloads: readonly WorkloadName[], pools: readonly string[], spindlePool = 'spindle'): string {
  const header = ['workload', 'metric', 'raw floor', ...pools];
  const rows: string[][] = [];
  for (const workload of workloads) {
    for (const spec of WORKLOADS[workload].metrics) {
      const raw = medians[workload]?.raw?.[spec.key];
      const row = [workload, spec.label, raw === undefined ? '' : formatNumber(raw, spec.digits)];
      for (const pool of pools) {
        const value = medians[workload]?.[pool]?.[spec.key];
        const cell = formatNumber(value, spec.digits);
        const advantage = pool === spindlePool ? Number.NaN : spindleAdvantage(medians, workload, spec.key, pool, spindlePool);
        row.push(Number.isNaN(advantage) ? cell : `${cell} (${formatAdvantage(advantage)})`);
      }
      rows.push(row);
    }
  }
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '─'.repeat(width))), ...rows.map(line)].join('\n');
}
