/** The work of piscina's benchmark fixture (benchmark/fixtures/add.js) as a task of Spindle's `Pool`. */
export function add({ a, b }: { a: number; b: number }): number {
  return a + b;
}
