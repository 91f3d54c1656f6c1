// worker.ts: a piscina worker module, unchanged
export default function square({ n }: { n: number }): number {
  return n * n;
}

export function cube({ n }: { n: number }): number {
  return n * n * n;
}
