/** Small formatting and arithmetic helpers of the pool battle test's report. */

/** 12,345 */
export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** Milliseconds with sensible precision: 0.42, 7.3, 123. */
export function ms(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function seconds(valueMs: number): string {
  return `${(valueMs / 1000).toFixed(2)} s`;
}

export interface Percentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles of `values` (0 for none). */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (fraction: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))] ?? 0;
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: sorted.at(-1) ?? 0 };
}

/** "p50 / p95 / p99 ms" */
export function triple(summary: Pick<Percentiles, 'p50' | 'p95' | 'p99'>): string {
  return `${ms(summary.p50)} / ${ms(summary.p95)} / ${ms(summary.p99)} ms`;
}

/** Run-length form of a sequence of labels: H×15 L H×15 L … */
export function runLength(labels: readonly string[]): string {
  const parts: string[] = [];
  let index = 0;
  while (index < labels.length) {
    const label = labels[index] ?? '';
    let end = index + 1;
    while (end < labels.length && labels[end] === label) end++;
    const length = end - index;
    parts.push(length === 1 ? label : `${label}×${String(length)}`);
    index = end;
  }
  return parts.join(' ');
}

/** Wraps words into lines of at most `width` characters, each prefixed with `indent`. */
export function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && indent.length + line.length + 1 + word.length > width) {
      lines.push(indent + line);
      line = word;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  if (line !== '') lines.push(indent + line);
  return lines;
}
