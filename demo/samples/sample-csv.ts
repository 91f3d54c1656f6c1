const COUNTRIES = ['DE', 'FR', 'GB', 'US', 'JP', 'BR', 'IN', 'NL'];

export const SAMPLE_CSV_COLUMNS = ['id', 'name', 'email', 'country', 'amount', 'created_at', 'note'] as const;

/** CSV text with a header row and `rowCount` order rows (some fields quoted, with commas inside). */
export function makeSampleCsv(rowCount: number): string {
  const lines = [SAMPLE_CSV_COLUMNS.join(',')];
  for (let index = 0; index < rowCount; index++) {
    const day = String((index % 28) + 1).padStart(2, '0');
    const note = index % 5 === 0 ? `"Rush order, gift wrap ${String(index % 3)}"` : 'standard';
    lines.push(`${String(index + 1)},Customer ${String(index)},customer${String(index)}@example.com,${COUNTRIES[index % COUNTRIES.length] ?? 'DE'},${((index * 7.31) % 1000).toFixed(2)},2025-02-${day}T10:${String(index % 60).padStart(2, '0')}:00Z,${note}`);
  }
  return lines.join('\n') + '\n';
}
