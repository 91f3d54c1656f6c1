import type { PhaseResult } from './battle-test.js';
import type { EndpointLoad } from './load-plan.js';

/**
 * The side-by-side table of the battle test, as Markdown (it reads well in a
 * terminal and pastes into docs/demo.md as is); the cluster phase, if it ran,
 * in three more columns.
 */
export function renderResultsTable(plan: readonly EndpointLoad[], inline: PhaseResult, pooled: PhaseResult, cluster?: PhaseResult): string {
  const phases = cluster === undefined ? [inline, pooled] : [inline, pooled, cluster];
  const rows: string[][] = [['', ...phases.flatMap(({ mode }) => [`${mode} p50 / p95 / p99 ms`, `${mode} req/s`, `${mode} errors`])]];
  for (const load of plan) {
    const cells = [`${load.label} (${load.payload})`];
    for (const phase of phases) {
      const result = phase.endpoints.find((endpoint) => endpoint.label === load.label);
      if (result === undefined) cells.push('–', '–', '–');
      else cells.push(`${ms(result.latency.p50)} / ${ms(result.latency.p95)} / ${ms(result.latency.p99)}`, result.throughput.toFixed(1), String(result.errors));
    }
    rows.push(cells);
  }
  const wide = (label: string, value: (phase: PhaseResult) => string): string[] => [label, ...phases.flatMap((phase) => [value(phase), '', ''])];
  rows.push(wide('event-loop delay p50 / p99 / max ms', delays));
  rows.push(wide('service CPU (% of one core; 2 cores = 200 %)', (phase) => `${phase.service.cpuPercent.toFixed(0)} %`));
  rows.push(wide('load generator CPU (% of one core)', (phase) => `${phase.loadGeneratorCpuPercent.toFixed(0)} %`));
  rows.push(wide('machine load average at start (1 min)', (phase) => phase.machineLoadAverage.toFixed(1)));
  return markdownTable(rows);
}

function delays(phase: PhaseResult): string {
  const delay = phase.service.eventLoopDelay;
  return `${ms(delay.p50)} / ${ms(delay.p99)} / ${ms(delay.max)}`;
}

function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function markdownTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  const line = (row: readonly string[]): string => `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`;
  const [header, ...body] = rows;
  if (header === undefined) return '';
  const separator = `|${widths.map((width, column) => (column === 0 ? ` ${'-'.repeat(width)} ` : ` ${'-'.repeat(Math.max(1, width - 1))}: `)).join('|')}|`;
  return [line(header), separator, ...body.map(line)].join('\n');
}
