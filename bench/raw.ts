/**
 * `npm run bench:raw`: the physical floor of this machine with plain
 * worker_threads, no pool: what a pool can approach but not beat per message.
 *
 *   npm run bench:raw -- [--json]
 */
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { atomicsPingPong, messagePingPong, pipelinedThroughput, polledPingPong, transferRoundTrip } from './raw/floor.js';
import { writeResults } from './report/results-file.js';
import { formatNumber } from './report/table.js';
import { RAW_PINNED, runChild } from './run-child.js';

const PING_PONGS = 5_000;
const PIPELINED_MESSAGES = 100_000;
const PINNED_TIMEOUT_MS = 120_000;

export interface RawResults {
  readonly finishedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string; readonly loadAverage: number[] };
  readonly results: {
    readonly messagePingPong: { readonly p50Us: number; readonly p99Us: number; readonly meanUs: number };
    readonly pipelinedPostMessage: { readonly messagesPerSecond: number };
    readonly atomicsPingPong: { readonly p50Us: number; readonly p99Us: number };
    readonly polledPingPong: { readonly p50Us: number; readonly p99Us: number };
    readonly transferRoundTrip: { readonly roundTripMs: number };
    /** Ping-pong and transfer again, both threads pinned to one CPU: the floor `npm run bench` compares with. Absent without `taskset`. */
    readonly pinned?: { readonly pingPongP50Us: number; readonly pingPongP99Us: number; readonly transferRoundTripMs: number };
  };
}

/** The raw latency and transfer figures measured the way `npm run bench` does: in a fresh process, pinned to one CPU. */
async function measurePinned(): Promise<NonNullable<RawResults['results']['pinned']>> {
  const figures = async <Key extends string>(workload: string, keys: readonly Key[]): Promise<Record<Key, number>> => {
    const outcome = await runChild({ pool: 'raw', workload, threads: 1, scale: 1 }, PINNED_TIMEOUT_MS);
    if (!outcome.ok) throw new Error(`The pinned raw ${workload} run failed: ${outcome.error}`);
    const { metrics } = outcome.result;
    const missing = keys.filter((key) => metrics[key] === undefined);
    if (missing.length > 0) throw new Error(`The pinned raw ${workload} run reported no ${missing.join(', ')}`);
    return metrics as Record<Key, number>;
  };
  const { p50Us, p99Us } = await figures('latency', ['p50Us', 'p99Us']);
  const { roundTripMs } = await figures('transfer', ['roundTripMs']);
  return { pingPongP50Us: p50Us, pingPongP99Us: p99Us, transferRoundTripMs: roundTripMs };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false } } });
  const step = async <T>(title: string, measure: () => Promise<T>): Promise<T> => {
    process.stderr.write(`${title}…\n`);
    return measure();
  };
  const results: RawResults['results'] = {
    messagePingPong: await step('postMessage ping-pong', () => messagePingPong(PING_PONGS)),
    pipelinedPostMessage: await step('pipelined postMessage', () => pipelinedThroughput(PIPELINED_MESSAGES)),
    atomicsPingPong: await step('SharedArrayBuffer + Atomics ping-pong', () => atomicsPingPong(PING_PONGS)),
    polledPingPong: await step('postMessage ping-pong, both threads polling', () => polledPingPong(PING_PONGS)),
    transferRoundTrip: await step('64 MiB transfer round trip', () => transferRoundTrip()),
    ...(RAW_PINNED ? { pinned: await step('ping-pong and transfer again, pinned to one CPU (taskset -c 0)', measurePinned) } : {}),
  };
  const report: RawResults = {
    finishedAt: new Date().toISOString(),
    machine: { cpus: availableParallelism(), node: process.version, loadAverage: loadavg() },
    results,
  };
  const path = await writeResults('raw.json', report);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    return;
  }
  const pinned = results.pinned;
  const rows = [
    ['postMessage ping-pong round trip, threads where the OS puts them', `p50 ${formatNumber(results.messagePingPong.p50Us, 1)} µs`, `p99 ${formatNumber(results.messagePingPong.p99Us, 1)} µs`],
    ...(pinned === undefined
      ? []
      : [['postMessage ping-pong round trip, pinned to one CPU (bench floor)', `p50 ${formatNumber(pinned.pingPongP50Us, 1)} µs`, `p99 ${formatNumber(pinned.pingPongP99Us, 1)} µs`]]),
    [`pipelined postMessage (${PIPELINED_MESSAGES.toLocaleString('en-US')} echoed)`, `${formatNumber(results.pipelinedPostMessage.messagesPerSecond, 0)} msgs/s`, ''],
    ['SharedArrayBuffer + Atomics.wait/notify ping-pong', `p50 ${formatNumber(results.atomicsPingPong.p50Us, 1)} µs`, `p99 ${formatNumber(results.atomicsPingPong.p99Us, 1)} µs`],
    ['postMessage ping-pong, both threads polling (never asleep)', `p50 ${formatNumber(results.polledPingPong.p50Us, 1)} µs`, `p99 ${formatNumber(results.polledPingPong.p99Us, 1)} µs`],
    ['64 MiB ArrayBuffer transfer round trip, threads where the OS puts them', `${formatNumber(results.transferRoundTrip.roundTripMs, 3)} ms`, ''],
    ...(pinned === undefined ? [] : [['64 MiB ArrayBuffer transfer round trip, pinned to one CPU (bench floor)', `${formatNumber(pinned.transferRoundTripMs, 3)} ms`, '']]),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[0] ?? 0) : cell.padStart(widths[column] ?? 0))).join('   ').trimEnd());
  process.stdout.write(
    `Raw worker_threads floor (no pool), ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}\n${lines.join('\n')}\nWritten to ${path}.\n`,
  );
}

await main();
