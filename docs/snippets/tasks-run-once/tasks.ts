/** Stands in for a long report. */
export function buildReport(period: { readonly month: string }): { readonly month: string; readonly days: number } {
  const [year = 0, month = 0] = period.month.split('-').map(Number);
  return { month: period.month, days: new Date(year, month, 0).getDate() };
}
