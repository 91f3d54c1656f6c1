import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { ClusterSnapshot } from '../events.js';
import { METRICS_CONTENT_TYPE } from './fleet-metrics.js';

/** The primary's own HTTP port: `GET /metrics` (the fleet, aggregated) and `GET /snapshot` (JSON). */
export class MetricsServer {
  readonly url: string;
  readonly #server: Server;

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  static async listen(port: number, host: string, metrics: () => Promise<string>, snapshot: () => ClusterSnapshot): Promise<MetricsServer> {
    const server = createServer((request, response) => {
      const path = (request.url ?? '/').split('?')[0];
      if (request.method !== 'GET' || (path !== '/metrics' && path !== '/snapshot')) {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('GET /metrics or /snapshot\n');
        return;
      }
      if (path === '/snapshot') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(snapshot()));
        return;
      }
      metrics().then(
        (text) => {
          response.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' }).end(`${String(error)}\n`);
        },
      );
    });
    server.listen(port, host);
    await once(server, 'listening');
    const address = server.address();
    const boundPort = typeof address === 'object' && address !== null ? address.port : port;
    return new MetricsServer(server, `http://${host.includes(':') ? `[${host}]` : host}:${String(boundPort)}`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
  }
}
