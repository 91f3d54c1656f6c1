/** Stands in for a lookup that enriches a parsed CSV row. */
export function enrich(row: { readonly id: number }): { readonly id: number; readonly square: number } {
  return { id: row.id, square: row.id * row.id };
}
