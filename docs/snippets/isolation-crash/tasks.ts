// #region shown
// tasks.ts
export function resize(width: number): number {
  return Math.round(width / 2);
}

/** What a crashing native addon does to its process. */
export function crash(): never {
  process.abort();
}
// #endregion
