// tasks.ts
import type { TaskContext } from 'spindle/worker';

export function resize(job: { image: Uint8Array; width: number }, context: TaskContext): Uint8Array {
  context.progress(`resizing to ${job.width} px`);
  return job.image.slice(0, job.width); // your code
}
export async function fetchAndParse(url: string): Promise<unknown> {
  const response = await fetch(url);
  return response.json();
}
