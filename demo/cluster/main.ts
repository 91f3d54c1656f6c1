/**
 * `npm start -- --cluster`: the demo service under the `spindle/cluster`
 * supervisor, each process with its own pool. Flags: `--processes` (default
 * 2), `--threads-per-process` (default: planned), `--metrics-port` (default
 * 9100, 0 for any); the service's own flags (`--port`, `--host`,
 * `--max-queue`, `--log`) go to every process. Started by the battle test
 * with an IPC channel, it reports its URL and the fleet's measurements there.
 */
import nodeCluster from 'node:cluster';
import { parseArgs } from 'node:util';
import { startCluster } from 'spindle/cluster';
import type { ParentToService, ServiceToParent } from '../service/control-messages.js';
import { FleetMeasurements } from './measurements.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  strict: false,
  options: {
    processes: { type: 'string', default: '2' },
    'threads-per-process': { type: 'string' },
    'metrics-port': { type: 'string', default: '9100' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const integer = (name: string, text: unknown): number => {
  const value = Number(text);
  if (typeof text !== 'string' || !Number.isInteger(value) || value < 0) throw new Error(`Expected \`--${name}\` to be an integer >= 0, got \`${String(text)}\``);
  return value;
};
// The rest of the command line is the service's (--port, --host, --max-queue, --log).
const withValue = new Set(['--processes', '--threads-per-process', '--metrics-port']);
const serviceArgs = process.argv.slice(2).filter((argument, index, all) => argument !== '--cluster' && !withValue.has(argument) && !withValue.has(all[index - 1] ?? ''));
const reportsToParent = process.send !== undefined;

// The demo's processes share this machine's cores with its load generator: the plan may exceed them.
const cluster = startCluster({
  worker: new URL('./worker.js', import.meta.url),
  processes: integer('processes', values.processes),
  ...(typeof values['threads-per-process'] === 'string' ? { threadsPerProcess: integer('threads-per-process', values['threads-per-process']) } : {}),
  oversubscribe: true,
  args: serviceArgs,
  ...(reportsToParent ? {} : { metricsPort: integer('metrics-port', values['metrics-port']) }),
});

// Every process listens on the same port (node:cluster shares it, even port 0): the first one tells which.
const listening = new Promise<number>((resolve) => {
  nodeCluster.once('listening', (_worker, address) => {
    resolve(address.port);
  });
});
await cluster.ready;
const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
const url = `http://${host}:${String(await listening)}`;

if (!reportsToParent) {
  console.log(`Spindle demo service, ${cluster.plan.summary}, on ${url}; dashboard (one process's): ${url}/dashboard; the fleet's metrics: ${cluster.metricsUrl ?? ''}/metrics`);
  console.log('SIGHUP: rolling restart; Ctrl-C: graceful shutdown');
} else {
  const measurements = new FleetMeasurements();
  const send = (message: ServiceToParent): void => {
    process.send?.(message);
  };
  process.on('message', (message: ParentToService) => {
    if (message.type === 'reset-measurements') measurements.reset();
    else void measurements.report().then(({ report, poolStats }) => { send({ type: 'measurements', report, poolStats }); });
  });
  // The battle test ends a phase with SIGTERM, or by going away.
  process.once('disconnect', () => void cluster.close().finally(() => process.exit(0)));
  send({ type: 'listening', url });
}
