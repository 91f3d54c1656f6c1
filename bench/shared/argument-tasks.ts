/** The task of the argument trials: reads one byte per 4 KiB page of what it was given (so every page is touched), as a task that needs the whole input would. */
export function touchPages(data: Uint8Array | SharedArrayBuffer): number {
  const bytes = data instanceof SharedArrayBuffer ? new Uint8Array(data) : data;
  let sum = 0;
  for (let index = 0; index < bytes.length; index += 4096) sum += bytes[index] ?? 0;
  return sum;
}
