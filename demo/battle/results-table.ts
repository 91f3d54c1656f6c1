import type { PhaseResult } from './battle-test.js';
import type { EndpointLoad } from './load-plan.js';

/**
 * The side-by-side table of the battle test, as Markdown (it reads well in a
 * terminal and pastes into docs/demo.md as is).
 */
export function renderResultsTable(plan: readonly EndpointLoad[], inline: PhaseResult, pooled: PhaseResult): string {
  const rows: string[][] = [['', 'inline p50 / p95 / p99 ms', 'inline req/s', 'inline errors', 'pooled p50 / p95 / p99 ms', 'pooled req/s', 'pooled errors']];
  for (const load of plan) {
    const cells = [`${load.label} (${load.payload})`];
    for (const phase of [inline, pooled]) {
      const result = phase.endpoints.find((endpoint) => endpoint.label === load.label);
      if (result === undefined) cells.push('–', '–', '–');
      else cells.push(`${ms(result.latency.p50)} / ${ms(result.latency.p95)} / ${ms(result.latency.p99)}`, result.throughput.toFixed(1), String(result.errors));
    }
    rows.push(cells);
  }
  const wide = (label: string, inlineValue: string, pooledValue: string): string[] => [label, inlineValue, '', '', pooledValue, '', ''];
  rows.push(wide('event-loop delay p50 / p99 / max ms', delays(inline), delays(pooled)));
  rows.push(wide('service CPU (% of one core; 2 cores = 200 %)', `${inline.service.cpuPercent.toFixed(0)} %`, `${pooled.service.cpuPercent.toFixed(0)} %`));
  rows.push(wide('load generator CPU (% of one core)', `${inline.loadGeneratorCpuPercent.toFixed(0)} %`, `${pooled.loadGeneratorCpuPercent.toFixed(0)} %`));
  rows.push(wide('machine load average at start (1 min)', inline.machineLoadAverage.toFixed(1), pooled.machineLoadAverage.toFixed(1)));
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
