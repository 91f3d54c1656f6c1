/** What the cluster tests share: the fixture cluster, free ports, HTTP requests, load, the CLI. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { startCluster, type Cluster, type ClusterOptions } from 'spindle/cluster';

/**
 * `SPINDLE_CLUSTER_FULL_SCALE=1`: the issue's figures where a test shrinks them to stay quick on a
 * loaded machine (the crash loop lasts 10 s instead of 4 s).
 */
export const FULL_SCALE = process.env.SPINDLE_CLUSTER_FULL_SCALE === '1';

export const workerModule = new URL('../fixtures/cluster/http-worker.js', import.meta.url);
export const cliPath = fileURLToPath(new URL('../../../dist/cluster/cli.js', import.meta.url));

/** A port nobody listens on now (the cluster listens on it a moment later). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface FixtureCluster {
  readonly cluster: Cluster;
  readonly port: number;
  readonly url: string;
  /** The supervisor's log lines so far. */
  readonly log: string[];
}

/** The fixture service under the supervisor: 2 processes × 1 thread (on any machine), no signal handlers. */
export async function startFixtureCluster(options: Partial<ClusterOptions> = {}, env: Record<string, string> = {}): Promise<FixtureCluster> {
  const port = await freePort();
  const log: string[] = [];
  const cluster = startCluster({
    worker: workerModule,
    processes: 2,
    threadsPerProcess: 1,
    oversubscribe: true,
    execArgv: [],
    signals: false,
    log: (line) => log.push(line),
    ...options,
    env: { PORT: String(port), ...env },
  });
  await cluster.ready;
  return { cluster, port, url: `http://127.0.0.1:${String(port)}`, log };
}

export interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One GET; `agent` pins it to a keep-alive connection, otherwise a fresh connection each time. */
export function get(url: string, options: { readonly agent?: Agent; readonly timeoutMs?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent: options.agent ?? false, timeout: options.timeoutMs ?? 10_000 }, (response) => {
      let body = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      response.on('end', () => {
        resolve({ status: response.statusCode ?? 0, body });
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`GET ${url} timed out`)));
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** The pid that answered GET /pid. */
export async function pidAt(url: string, agent?: Agent, timeoutMs = 10_000): Promise<number> {
  const answer = await get(`${url}/pid`, agent === undefined ? { timeoutMs } : { agent, timeoutMs });
  return (JSON.parse(answer.body) as { pid: number }).pid;
}

export interface LoadResult {
  readonly total: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly timeouts: number;
  /** The code (or message) of each connection error autocannon counted, in order. */
  readonly errorCodes: readonly string[];
  /** Responses by the pid in their body. */
  readonly byPid: ReadonlyMap<number, number>;
}

export interface RunningLoad {
  /** Each autocannon connection's pid, from its last response. */
  readonly pidOfConnection: Map<object, number>;
  /** Responses so far by the pid in their body. */
  readonly byPid: ReadonlyMap<number, number>;
  /** Stops the load now; resolves with the result. */
  stop(): Promise<LoadResult>;
  /** Resolves when the load ends by itself (`seconds`). */
  readonly done: Promise<LoadResult>;
}

/**
 * Steady autocannon load on `path` (whose JSON answers carry a `pid`), keep-alive
 * unless `close` (then each request opens its own connection), for `seconds`, or
 * for exactly `amount` requests when given (autocannon then ignores `seconds`).
 */
export function startLoad(url: string, path: string, options: { readonly connections: number; readonly seconds: number; readonly amount?: number; readonly close?: boolean }): RunningLoad {
  const byPid = new Map<number, number>();
  const pidOfConnection = new Map<object, number>();
  const errorCodes: string[] = [];
  let lastPid: number | undefined;
  let finish: (result: LoadResult) => void = () => undefined;
  let fail: (error: Error) => void = () => undefined;
  const done = new Promise<LoadResult>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const instance = autocannon({
    url: url + path,
    connections: options.connections,
    duration: options.seconds,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    timeout: 10,
    headers: options.close === true ? { connection: 'close' } : {},
    // autocannon calls onResponse, then emits the client's 'response', synchronously: the pid
    // parsed in one is the pid of the connection in the other.
    setupClient: (client) => {
      client.on('response', () => {
        if (lastPid !== undefined) pidOfConnection.set(client, lastPid);
      });
      // Not in autocannon's types: each connection error it counts.
      (client as unknown as NodeJS.EventEmitter).on('connError', (error: Error & { code?: string }) => {
        errorCodes.push(`${error.code ?? error.message}${pidOfConnection.has(client) ? ` (pid ${String(pidOfConnection.get(client))})` : ''}`);
      });
    },
    requests: [
      {
        method: 'GET',
        path,
        onResponse: (status: number, body: string) => {
          lastPid = status === 200 ? (JSON.parse(body) as { pid: number }).pid : undefined;
          if (lastPid !== undefined) byPid.set(lastPid, (byPid.get(lastPid) ?? 0) + 1);
        },
      },
    ],
  }, (error, result) => {
    if (error !== null && error !== undefined) fail(error instanceof Error ? error : new Error(String(error)));
    else finish({ total: result.requests.total, errors: result.errors, non2xx: result.non2xx, timeouts: result.timeouts, errorCodes, byPid });
  });
  return {
    pidOfConnection,
    byPid,
    done,
    stop() {
      instance.stop();
      return done;
    },
  };
}

/** Polls `condition` every 20 ms; resolves with the time it took, rejects after `timeoutMs`. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const startedAt = performance.now();
  while (!(await condition())) {
    if (performance.now() - startedAt > timeoutMs) throw new Error(`Timed out after ${String(timeoutMs)} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return performance.now() - startedAt;
}

/** Whether a process is still alive. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface CliRun {
  readonly child: ChildProcess;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the first printed line that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>;
}

/** Starts `spindle-cluster` (dist/cluster/cli.js) with `args`, in a child process of its own. */
export function runCli(args: readonly string[], env: Record<string, string> = {}): CliRun {
  const child = spawn(process.execPath, [cliPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const waiters = new Set<() => void>();
  const append = (chunk: string): void => {
    output += chunk;
    for (const waiter of waiters) waiter();
  };
  child.stdout.setEncoding('utf8').on('data', append);
  child.stderr.setEncoding('utf8').on('data', append);
  const exited = once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null }));
  return {
    child,
    output: () => output,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(output);
          if (match === null) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(match);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`spindle-cluster printed no line matching ${String(pattern)} within ${String(timeoutMs)} ms:\n${output}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
  };
}

/** The pids of a `ready: N processes (pids a, b)` or `replaced by a, b` log line. */
export function pidsIn(text: string): number[] {
  return text.split(/,\s*/).map(Number);
}
