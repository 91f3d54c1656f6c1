/**
 * A load that accounts for every request, for the tests that count failures
 * (autocannon counts a request lost on a closed connection as nothing at all).
 */
import { Agent, request } from 'node:http';
import type { Socket } from 'node:net';

export interface AuditedLoad {
  /** Requests sent so far, answered 2xx, answered otherwise, failed (no answer: reset, hang-up, timeout). */
  counts(): { readonly sent: number; readonly ok: number; readonly non2xx: number; readonly failed: number; readonly inFlight: number };
  /** Each failed request's connection: the pid that last answered on it, or undefined if none ever did. */
  readonly failures: (number | undefined)[];
  /** Open connections last answered by `pid`. */
  connectionsOf(pid: number): number;
  /** Every pid that answered. */
  readonly pids: Set<number>;
  /** Stops sending; resolves once every request sent has settled. */
  stop(): Promise<void>;
}

/**
 * A second load beside autocannon that accounts for every request: Node's
 * keep-alive agent (which honours `Connection: close`, as browsers and undici
 * do), `connections` loops each sending its next GET once the last settled.
 * autocannon counts a request lost on a closed connection as nothing at all.
 */
export function startAuditedLoad(url: string, path: string, connections: number, timeoutMs = 5_000): AuditedLoad {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const pidOfSocket = new Map<Socket, number>();
  const watched = new WeakSet<Socket>();
  const pids = new Set<number>();
  const failures: (number | undefined)[] = [];
  let sent = 0;
  let ok = 0;
  let non2xx = 0;
  let inFlight = 0;
  let stopped = false;
  const send = (): Promise<void> =>
    new Promise((resolve) => {
      sent++;
      inFlight++;
      let socket: Socket | undefined;
      let settled = false;
      const settle = (outcome: 'ok' | 'non2xx' | 'failed'): void => {
        if (settled) return;
        settled = true;
        inFlight--;
        if (outcome === 'ok') ok++;
        else if (outcome === 'non2xx') non2xx++;
        else failures.push(socket === undefined ? undefined : pidOfSocket.get(socket));
        resolve();
      };
      const outgoing = request(url + path, { agent, timeout: timeoutMs }, (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => {
          if (response.statusCode !== 200) {
            settle('non2xx');
            return;
          }
          const pid = (JSON.parse(body) as { pid: number }).pid;
          pids.add(pid);
          if (socket !== undefined) pidOfSocket.set(socket, pid);
          settle('ok');
        });
        response.on('error', () => {
          settle('failed');
        });
      });
      outgoing.on('socket', (assigned) => {
        socket = assigned;
        if (watched.has(assigned)) return;
        watched.add(assigned);
        assigned.once('close', () => pidOfSocket.delete(assigned));
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('timed out')));
      outgoing.on('error', () => {
        settle('failed');
      });
      outgoing.end();
    });
  const loops = Array.from({ length: connections }, async () => {
    while (!stopped) await send();
  });
  return {
    pids,
    failures,
    counts: () => ({ sent, ok, non2xx, failed: failures.length, inFlight }),
    connectionsOf: (pid) => [...pidOfSocket.values()].filter((owner) => owner === pid).length,
    async stop() {
      stopped = true;
      await Promise.all(loops);
      agent.destroy();
    },
  };
}
