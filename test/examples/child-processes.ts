/**
 * Running the examples and docs snippets the way a user would: each in its
 * own Node process, from the repository root, with a time limit.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/** The repository root, from build/test/examples/. */
export const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const tsx = `${repositoryRoot}node_modules/.bin/tsx`;

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end; kills it and says so after `timeoutMs`. */
export async function runToEnd(command: string, args: readonly string[], timeoutMs = 60_000): Promise<Finished> {
  const child = spawn(command, args, { cwd: repositoryRoot, timeout: timeoutMs, killSignal: 'SIGKILL' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  if (signal === 'SIGKILL') stderr += `\n(killed after ${String(timeoutMs)} ms)`;
  return { code, signal, stdout, stderr };
}

/** A server example, started and listening. */
export interface RunningServer {
  /** `http://127.0.0.1:<port>`, as the server printed it. */
  readonly url: string;
  /** Sends SIGTERM and waits for the process to end (SIGKILL after `timeoutMs`). */
  stop(timeoutMs?: number): Promise<Finished>;
}

/** Starts a server example and waits until it prints `listening on http://…`. */
export async function startServer(command: string, args: readonly string[], timeoutMs = 30_000): Promise<RunningServer> {
  const child = spawn(command, args, { cwd: repositoryRoot });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const closed = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} printed no address within ${String(timeoutMs)} ms:\n${stdout}${stderr}`));
    }, timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const address = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (address !== undefined) {
        clearTimeout(timer);
        resolve(address);
      }
    });
    void closed.then(([code]) => {
      clearTimeout(timer);
      reject(new Error(`${command} ${args.join(' ')} exited (${String(code)}) before listening:\n${stdout}${stderr}`));
    });
  });
  return {
    url,
    async stop(stopTimeoutMs = 15_000) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      const [code, signal] = await closed;
      clearTimeout(timer);
      return { code, signal, stdout, stderr };
    },
  };
}

/**
 * What a program prints, as its own comments say: the text after `//` on
 * each `console.log(…); // …` line, in order.
 */
export function expectedOutput(file: string): string {
  const lines = readFileSync(`${repositoryRoot}${file}`, 'utf8').split('\n');
  return lines.flatMap((line) => /^\s*console\.log\(.*\);\s*\/\/ (.+)$/.exec(line)?.[1] ?? []).join('\n');
}
