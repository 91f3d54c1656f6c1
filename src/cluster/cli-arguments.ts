import { parseArgs } from 'node:util';
import type { ClusterOptions } from './options.js';

export const USAGE = `Usage: spindle-cluster <worker module> [options] [-- arguments of the worker]

Runs the module in several processes, each with its own Spindle pool, under a
supervisor: respawn with back-off, rolling restart on SIGHUP, graceful
shutdown on SIGTERM/SIGINT, a watchdog for blocked event loops.

Options:
  --processes <n>              processes (default: planned from the cores)
  --threads-per-process <n>    pool threads per process, as SPINDLE_THREADS (default: planned)
  --oversubscribe              allow processes × (threads + 1) above the cores
  --cores <n>                  cores to plan for (default: os.availableParallelism())
  --start-timeout <ms>         time for a process to report ready (default 30000)
  --drain-timeout <ms>         time for a draining process to exit before SIGKILL (default 10000)
  --heartbeat-interval <ms>    time between heartbeats (default 1000)
  --unresponsive-timeout <ms>  kill a process silent this long, 0 for no watchdog (default 10000)
  --min-uptime <ms>            an exit sooner after ready counts as an early death (default 5000)
  --metrics-port <port>        serve the fleet's /metrics and /snapshot on the primary
  --metrics-host <address>     address of --metrics-port (default 127.0.0.1)
  --help                       this text`;

/** What the command line asks for: the cluster's options, or the usage. */
export type CommandLine = { readonly help: true } | { readonly help: false; readonly options: ClusterOptions };

/** Reads `spindle-cluster`'s arguments; throws an Error whose message says what is wrong. */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const separator = argv.indexOf('--');
  const own = separator === -1 ? argv : argv.slice(0, separator);
  const workerArgs = separator === -1 ? [] : argv.slice(separator + 1);
  const { values, positionals } = parseArgs({
    args: [...own],
    allowPositionals: true,
    strict: true,
    options: {
      processes: { type: 'string' },
      'threads-per-process': { type: 'string' },
      oversubscribe: { type: 'boolean' },
      cores: { type: 'string' },
      'start-timeout': { type: 'string' },
      'drain-timeout': { type: 'string' },
      'heartbeat-interval': { type: 'string' },
      'unresponsive-timeout': { type: 'string' },
      'min-uptime': { type: 'string' },
      'metrics-port': { type: 'string' },
      'metrics-host': { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true) return { help: true };
  const [worker, ...extra] = positionals;
  if (worker === undefined) throw new Error('Expected the worker module as the first argument');
  if (extra.length > 0) throw new Error(`Expected one worker module, got also ${extra.join(' ')} (arguments of the worker go after --)`);
  const number = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const value = Number(text);
    if (text.trim() === '' || !Number.isFinite(value)) throw new Error(`Expected --${flag} to be a number, got \`${text}\``);
    return value;
  };
  const watchdog = number('unresponsive-timeout', values['unresponsive-timeout']);
  const entries: [keyof ClusterOptions, unknown][] = [
    ['processes', number('processes', values.processes)],
    ['threadsPerProcess', number('threads-per-process', values['threads-per-process'])],
    ['oversubscribe', values.oversubscribe],
    ['cores', number('cores', values.cores)],
    ['startTimeout', number('start-timeout', values['start-timeout'])],
    ['drainTimeout', number('drain-timeout', values['drain-timeout'])],
    ['heartbeatInterval', number('heartbeat-interval', values['heartbeat-interval'])],
    ['unresponsiveTimeout', watchdog === 0 ? false : watchdog],
    ['minUptime', number('min-uptime', values['min-uptime'])],
    ['metricsPort', number('metrics-port', values['metrics-port'])],
    ['metricsHost', values['metrics-host']],
  ];
  const options = Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Partial<ClusterOptions>;
  return { help: false, options: { ...options, worker, args: workerArgs } };
}
