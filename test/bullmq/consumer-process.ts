/** Starting and driving test/fixtures/bullmq/consumer.ts, a fleet node in a process of its own. */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { ConsumerConfig, ConsumerMessage, ConsumerReport } from '../fixtures/bullmq/consumer.js';

const script = fileURLToPath(new URL('../fixtures/bullmq/consumer.js', import.meta.url));

export interface ConsumerProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** What its worker saw so far. */
  report(): Promise<ConsumerReport>;
  /** SIGKILL: the process dies at once, its jobs left active in Redis. */
  kill(): Promise<void>;
  /** SIGTERM, then its exit code (SIGKILL after `timeoutMs`). */
  terminate(timeoutMs?: number): Promise<number | null>;
}

export async function startConsumer(config: ConsumerConfig, timeoutMs = 30_000): Promise<ConsumerProcess> {
  const env = { ...process.env };
  // Coverage of the children is not what these tests measure, and collecting it slows them down.
  delete env.NODE_V8_COVERAGE;
  const child = fork(script, [JSON.stringify(config)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const ready = await new Promise<ConsumerMessage>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The consumer did not get ready within ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('message', (message: ConsumerMessage) => {
      clearTimeout(timer);
      resolve(message);
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`The consumer exited (${String(code ?? signal)}) before it was ready`));
    });
  });
  if (ready.type !== 'ready') throw new Error(`Unexpected first message ${JSON.stringify(ready)}`);
  return {
    pid: ready.pid,
    child,
    report() {
      return new Promise<ConsumerReport>((resolve) => {
        const onMessage = (message: ConsumerMessage): void => {
          if (message.type !== 'report') return;
          child.off('message', onMessage);
          resolve(message.report);
        };
        child.on('message', onMessage);
        child.send('report');
      });
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async terminate(terminateTimeoutMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const timer = setTimeout(() => child.kill('SIGKILL'), terminateTimeoutMs);
      child.kill('SIGTERM');
      const [code] = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
