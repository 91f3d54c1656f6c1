import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export interface BenchScriptRun {
  readonly stdout: string;
  /** What the script wrote to `.bench-results/<resultsFile>`, parsed; undefined when no file was asked for. */
  readonly saved: unknown;
}

/**
 * Runs a bench script as the README does, at whatever scale `args` give, in
 * a scratch directory (its results land there, not in the checkout's
 * .bench-results) that is removed afterwards. Coverage is left out: the
 * figures of a dozen short benchmark processes are not what a test checks,
 * and collecting them slows the processes down. `signal` ends the script
 * early (a test's cleanup after its timeout).
 */
export async function runBenchScript(
  script: URL,
  args: readonly string[],
  options: { readonly timeoutMs: number; readonly resultsFile?: string; readonly signal?: AbortSignal },
): Promise<BenchScriptRun> {
  const directory = await mkdtemp(join(tmpdir(), 'spindle-bench-'));
  try {
    const env = { ...process.env };
    delete env.NODE_V8_COVERAGE;
    const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(script), ...args], {
      cwd: directory,
      env,
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 64 * 1024 * 1024,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    const saved: unknown = options.resultsFile === undefined ? undefined : JSON.parse(await readFile(join(directory, '.bench-results', options.resultsFile), 'utf8'));
    return { stdout, saved };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
