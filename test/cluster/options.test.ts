import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planCluster, respawnDelay, startCluster, type ClusterOptions } from 'spindle/cluster';
import { parseCommandLine } from '../../src/cluster/cli-arguments.js';
import { workerModule } from './cluster-helpers.js';

describe('planCluster()', () => {
  it('never needs more cores than there are: processes × (threads + 1) ≤ cores, from 1 to 64 cores', () => {
    const plans = Object.fromEntries([1, 2, 3, 4, 6, 8, 12, 16, 64].map((cores) => {
      const plan = planCluster({ cores });
      return [cores, `${String(plan.processes)}×${String(plan.threadsPerProcess)}`];
    }));
    assert.deepEqual(plans, { 1: '1×1', 2: '1×1', 3: '1×2', 4: '2×1', 6: '2×2', 8: '2×3', 12: '3×3', 16: '4×3', 64: '16×3' });
    for (let cores = 2; cores <= 64; cores++) {
      const plan = planCluster({ cores });
      assert.ok(plan.threadsInAll <= cores && !plan.oversubscribed, `${String(cores)} cores: ${plan.summary}`);
    }
    assert.equal(planCluster({ cores: 1 }).oversubscribed, true, 'one process with one thread is the smallest fleet, even on one core');
  });

  it('computes what is not given, and refuses a plan past the cores unless oversubscribe', () => {
    assert.deepEqual(pick(planCluster({ cores: 8, processes: 4 })), [4, 1]);
    assert.deepEqual(pick(planCluster({ cores: 8, threadsPerProcess: 1 })), [4, 1]);
    assert.deepEqual(pick(planCluster({ cores: 8, threadsPerProcess: 7 })), [1, 7]);
    assert.throws(() => planCluster({ cores: 2, processes: 2 }), { code: 'ERR_INVALID_OPTION', message: /at most the 2 cores of this machine, got 2 × \(1 \+ 1\) = 4; pass `oversubscribe: true`/ });
    const forced = planCluster({ cores: 2, processes: 2, oversubscribe: true });
    assert.deepEqual([forced.processes, forced.threadsPerProcess, forced.threadsInAll, forced.oversubscribed], [2, 1, 4, true]);
    assert.equal(forced.summary, '2 processes × (1 event loop + 1 pool thread) = 4 threads on 2 cores (oversubscribed)');
    assert.ok(Object.isFrozen(forced));
  });

  it('throws ERR_INVALID_OPTION for counts that are not integers >= 1', () => {
    for (const options of [{ processes: 0 }, { processes: 1.5 }, { threadsPerProcess: -1 }, { cores: Number.NaN }, { oversubscribe: 'yes' }]) {
      assert.throws(() => planCluster(options as never), { code: 'ERR_INVALID_OPTION' });
    }
  });
});

describe('respawnDelay()', () => {
  it('replaces at once after one early death, then doubles from the initial delay up to the cap', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 10, 30].map((deaths) => respawnDelay(deaths, 100, 15_000)), [0, 100, 200, 400, 800, 15_000, 15_000]);
  });
});

describe('startCluster() options', () => {
  const invalid: [Partial<ClusterOptions> | null, RegExp][] = [
    [null, /`options`/],
    [{ worker: 42 as never }, /`worker` to be a file URL or a path/],
    [{ worker: new URL('https://example.com/server.js') }, /`worker` to be a file: URL or a path/],
    [{ startTimeout: 0 }, /`startTimeout` to be a finite number > 0, got `0` \(number\)/],
    [{ drainTimeout: -5 }, /`drainTimeout`/],
    [{ heartbeatInterval: 1_000, unresponsiveTimeout: 500 }, /`unresponsiveTimeout` to be false or more than `heartbeatInterval` \(1000 ms\)/],
    [{ respawnDelay: 1_000, maxRespawnDelay: 500 }, /`maxRespawnDelay` to be at least `respawnDelay`/],
    [{ metricsPort: 70_000 }, /`metricsPort` to be an integer from 0 to 65535/],
    [{ env: { PORT: 3000 } as never }, /`env` to be an object of strings/],
    [{ args: 'x' as never }, /`args` to be an array of strings/],
    [{ log: 'yes' as never }, /`log` to be a function or false/],
    [{ thread: 2 } as never, /`thread` to be one of the known options/],
  ];
  for (const [options, message] of invalid) {
    it(`throws ERR_INVALID_OPTION at once, forking nothing: ${JSON.stringify(options)}`, () => {
      assert.throws(() => startCluster(options === null ? (null as never) : { worker: workerModule, ...options }), { code: 'ERR_INVALID_OPTION', message });
    });
  }
});

describe('the spindle-cluster command line', () => {
  it('maps its flags onto the options, and what follows -- onto the worker\'s arguments', () => {
    const parsed = parseCommandLine(['./server.js', '--processes', '2', '--threads-per-process', '3', '--oversubscribe', '--unresponsive-timeout', '0', '--metrics-port', '9100', '--', '--port', '8080']);
    assert.deepEqual(parsed, { help: false, options: { processes: 2, threadsPerProcess: 3, oversubscribe: true, unresponsiveTimeout: false, metricsPort: 9100, worker: './server.js', args: ['--port', '8080'] } });
    assert.throws(() => parseCommandLine([]), /Expected the worker module/);
    assert.throws(() => parseCommandLine(['a.js', 'b.js']), /arguments of the worker go after --/);
    assert.throws(() => parseCommandLine(['a.js', '--processes', 'two']), /Expected --processes to be a number, got `two`/);
  });
});

function pick(plan: { processes: number; threadsPerProcess: number }): [number, number] {
  return [plan.processes, plan.threadsPerProcess];
}
