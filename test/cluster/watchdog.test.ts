import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { describe, it } from 'node:test';
import { get, pidAt, startFixtureCluster, waitUntil } from './cluster-helpers.js';

const LIMIT_MS = 1_500;
const HEARTBEAT_MS = 250;
/** What the watchdog may add to the limit: its check period (150 ms) and the last heartbeat's lead, on a loaded machine. */
const KILL_MARGIN_MS = 1_500;

describe('the watchdog', () => {
  it('kills and replaces a process whose event loop is blocked, within the limit plus a margin, while the other keeps answering', { timeout: 60_000 }, async (t) => {
    const { cluster, url } = await startFixtureCluster({ unresponsiveTimeout: LIMIT_MS, heartbeatInterval: HEARTBEAT_MS });
    const agents: Agent[] = [];
    try {
      // Two keep-alive connections, one to each process.
      const pinned = new Map<number, Agent>();
      while (pinned.size < 2) {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        agents.push(agent);
        const pid = await pidAt(url, agent);
        if (!pinned.has(pid)) pinned.set(pid, agent);
      }
      const [[blockedPid, blockedAgent], [healthyPid, healthyAgent]] = [...pinned] as [[number, Agent], [number, Agent]];
      const killed = new Promise<{ silentForMs: number; at: number }>((resolve) => {
        cluster.once('unresponsive', ({ pid, silentForMs }) => {
          if (pid === blockedPid) resolve({ silentForMs, at: performance.now() });
        });
      });
      const replaced = new Promise<number>((resolve) => {
        cluster.on('processReady', () => {
          resolve(performance.now());
        });
      });
      const blockedAt = performance.now();
      void get(`${url}/block`, { agent: blockedAgent, timeoutMs: 30_000 }).catch(() => undefined);
      // The other process answers /pid on its own connection throughout.
      const latencies: number[] = [];
      const polling = { on: true };
      const poll = (async () => {
        while (polling.on) {
          const startedAt = performance.now();
          assert.equal(await pidAt(url, healthyAgent), healthyPid);
          latencies.push(performance.now() - startedAt);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      const kill = await killed;
      const replacedAt = await replaced;
      polling.on = false;
      await poll;
      const killMs = kill.at - blockedAt;
      const replaceMs = replacedAt - blockedAt;
      t.diagnostic(`killed ${String(Math.round(killMs))} ms after /block (silent ${String(kill.silentForMs)} ms, limit ${String(LIMIT_MS)}); replacement ready after ${String(Math.round(replaceMs))} ms; ${String(latencies.length)} answers from the other process, slowest ${String(Math.round(Math.max(...latencies)))} ms`);
      assert.ok(killMs >= LIMIT_MS - HEARTBEAT_MS, `killed after ${String(Math.round(killMs))} ms, before the limit`);
      assert.ok(killMs <= LIMIT_MS + KILL_MARGIN_MS, `killed after ${String(Math.round(killMs))} ms, more than ${String(LIMIT_MS + KILL_MARGIN_MS)}`);
      assert.ok(latencies.length >= 5 && Math.max(...latencies) < 1_000, `the other process answered ${String(latencies.length)} times, slowest in ${String(Math.round(Math.max(...latencies)))} ms`);
      await waitUntil(() => cluster.snapshot().processes.every((process) => process.state === 'ready') && cluster.snapshot().processes.length === 2, 10_000, 'two ready processes');
      const snapshot = cluster.snapshot();
      // At least the blocked one: on a machine loaded far past its cores, a replacement starting slowly may miss heartbeats too.
      assert.ok(snapshot.watchdogKills >= 1, `watchdogKills ${String(snapshot.watchdogKills)}`);
      const slot = snapshot.processes.find((process) => process.pid !== healthyPid);
      assert.deepEqual({ pid: slot?.lastExit?.pid, reason: slot?.lastExit?.reason, signal: slot?.lastExit?.signal }, { pid: blockedPid, reason: 'unresponsive', signal: 'SIGKILL' });
    } finally {
      for (const agent of agents) agent.destroy();
      await cluster.close();
    }
  });
});
