// tasks.ts: a task that may run twice for one job, and does its work once
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface ReportRequest {
  readonly reportId: string; // chosen by the caller, the same on every attempt
  readonly directory: string;
  readonly rows: readonly number[];
}

export async function renderReport(request: ReportRequest): Promise<{ path: string; rendered: boolean }> {
  const path = join(request.directory, `${request.reportId}.csv`); // named by the request, never by the attempt
  const done = await stat(path).then(() => true, () => false);
  if (done) return { path, rendered: false }; // an earlier run of this job finished the work
  await mkdir(request.directory, { recursive: true });
  const partial = `${path}.${String(process.pid)}.${String(Date.now())}.partial`;
  await writeFile(partial, request.rows.join('\n'));
  await rename(partial, path); // atomic: readers see the whole file or none, never half of one
  return { path, rendered: true };
}
