/**
 * A real `redis-server` for the fleet tests, the fleet benchmark and the
 * fleet docs snippets: started on a free loopback port with a scratch
 * directory, stopped (and the directory removed) at the end. Without
 * redis-server installed, starting one throws an error that says what to
 * install: the fleet tests fail, they never skip silently.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export const REDIS_INSTALL_HINT =
  'redis-server is not installed, and the fleet tests (test/bullmq/) need a real one. Install it: `sudo apt-get install redis-server` (Debian, Ubuntu), ' +
  '`brew install redis` (macOS), or set REDIS_SERVER to the path of a redis-server binary.';

export interface RedisServerOptions {
  /** Append-only file, fsynced at every write, so that a restart (even after SIGKILL) loses nothing acknowledged. @default false */
  readonly appendOnly?: boolean;
}

export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** The process id of the running server. */
  readonly pid: number | undefined;
  /** Ends the server with `signal` (SIGTERM: saves and exits; SIGKILL: dies at once) and waits for its exit. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and directory (after `kill`). */
  restart(): Promise<void>;
  /** Ends the server and removes its directory. */
  stop(): Promise<void>;
}

const binary = (): string => process.env.REDIS_SERVER ?? 'redis-server';

/** `name` as a path: as given when it is one (it has a slash), else its first match on PATH; undefined when there is none. */
function executable(name: string): string | undefined {
  if (name.includes('/')) return existsSync(name) ? name : undefined;
  for (const directory of (process.env.PATH ?? '').split(delimiter)) {
    if (directory !== '' && existsSync(join(directory, name))) return join(directory, name);
  }
  return undefined;
}

/**
 * On Linux, util-linux's setpriv sets the parent-death signal and then
 * becomes redis-server (same process): the kernel kills the server when the
 * process that started it dies, even by SIGKILL, which runs none of the
 * handlers below. Elsewhere a SIGKILLed test run leaves its server behind.
 */
const setpriv = process.platform === 'linux' ? ['/usr/bin/setpriv', '/bin/setpriv'].find((path) => existsSync(path)) : undefined;
const running = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', killAll);
let signalsWatched = false;
/**
 * A process ended by a signal runs no 'exit' listener: on SIGTERM, SIGINT or
 * SIGHUP the servers die first, then the signal is raised again, so that the
 * process ends as it would have (unless something else listens for it).
 */
function watchSignals(): void {
  if (signalsWatched) return;
  signalsWatched = true;
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAll();
      if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    });
  }
}

/** Starts a redis-server on a free 127.0.0.1 port; resolves once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const directory = mkdtempSync(join(tmpdir(), 'spindle-redis-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(port, directory, options);
      const server: RedisServer = {
        url: `redis://127.0.0.1:${port}`,
        port,
        get pid() {
          return child.pid;
        },
        async kill(signal = 'SIGTERM') {
          await end(child, signal);
        },
        async restart() {
          child = await launch(port, directory, options);
        },
        async stop() {
          await end(child, 'SIGKILL');
          rmSync(directory, { recursive: true, force: true });
        },
      };
      return server;
    } catch (error) {
      lastError = error;
      if ((error as { code?: string }).code === 'ENOENT') break;
    }
  }
  rmSync(directory, { recursive: true, force: true });
  if ((lastError as { code?: string } | undefined)?.code === 'ENOENT') throw new Error(REDIS_INSTALL_HINT, { cause: lastError });
  throw lastError;
}

async function launch(port: number, directory: string, options: RedisServerOptions): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', directory, '--save', '', '--daemonize', 'no', '--loglevel', 'notice', '--maxmemory-policy', 'noeviction'];
  if (options.appendOnly === true) args.push('--appendonly', 'yes', '--appendfsync', 'always');
  const server = executable(binary());
  if (server === undefined) throw Object.assign(new Error(`${binary()} was not found`), { code: 'ENOENT' });
  const [command, commandArgs] = setpriv === undefined ? [server, args] : [setpriv, ['--pdeathsig', 'SIGKILL', '--', server, ...args]];
  const child = spawn(command, commandArgs, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`redis-server did not start within 10 s on port ${port}:\n${output}`));
    }, 10_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited (${String(code ?? signal)}) before accepting connections on port ${port}:\n${output}`));
    });
    const read = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
  });
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  running.add(child);
  watchSignals();
  child.once('exit', () => running.delete(child));
  child.stdout.resume();
  child.stderr.resume();
  return child;
}

async function end(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  await exited;
}

/** A port that was free a moment ago (redis-server binds it next; a clash is retried). */
async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('No TCP port');
  return address.port;
}
