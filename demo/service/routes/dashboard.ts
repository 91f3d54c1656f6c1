import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { LiveFeed } from '../live-feed.js';

const ASSET_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'dashboard.js': 'text/javascript; charset=utf-8',
  'charts.js': 'text/javascript; charset=utf-8',
  'dashboard.css': 'text/css; charset=utf-8',
};

/**
 * `GET /dashboard`: the live page (plain HTML, CSS and canvas charts from
 * demo/dashboard/, no CDN), and `GET /dashboard/events`, its server-sent
 * event stream.
 */
export function registerDashboardRoutes(app: FastifyInstance, feed: LiveFeed): void {
  const assetDirectory = findAssetDirectory();
  const serve = async (name: string): Promise<Buffer> => readFile(join(assetDirectory, name));

  app.get('/dashboard', async (_request, reply) => reply.type(ASSET_TYPES['index.html'] ?? 'text/html').send(await serve('index.html')));
  app.get<{ Params: { asset: string } }>('/dashboard/assets/:asset', async (request, reply) => {
    const type = Object.hasOwn(ASSET_TYPES, request.params.asset) ? ASSET_TYPES[request.params.asset] : undefined;
    if (type === undefined || request.params.asset === 'index.html') return reply.code(404).send({ error: 'Not Found' });
    return reply.type(type).header('cache-control', 'no-cache').send(await serve(request.params.asset));
  });
  app.get('/dashboard/events', (_request, reply) => {
    reply.hijack();
    feed.subscribe(reply.raw);
  });
}

/**
 * The page's files stay in demo/dashboard/ (they are browser code, not
 * compiled): found by walking up from this module, in demo/ or build/demo/.
 */
function findAssetDirectory(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'demo', 'dashboard');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    const parent = dirname(directory);
    if (parent === directory) throw new Error('Cannot find demo/dashboard/index.html above ' + fileURLToPath(import.meta.url));
    directory = parent;
  }
}
