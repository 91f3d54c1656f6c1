// #region shown
// server.ts: an upload compressed on the pool (npx tsx examples/fastify/server.ts)
import Fastify from 'fastify';
import { Pool, transfer } from 'spindle';

const pool = new Pool<typeof import('./tasks.js')>(import.meta.resolve('./tasks.js'), { maxQueue: 100 });
const app = Fastify({ bodyLimit: 64 * 1024 * 1024 });
app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_request, body, done) => {
  done(null, body);
});

app.post('/gzip', async (request, reply) => {
  const upload = request.body as Uint8Array; // a Node Buffer, which is a Uint8Array
  const compressed = await pool.run('gzip', transfer(upload)); // moved to a worker, not copied
  return reply.type('application/gzip').send(compressed);
});
// #endregion

const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(`listening on ${address}`);
console.log(`try: curl --data-binary @package.json -H 'content-type: application/octet-stream' ${address}/gzip | gunzip`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    // Stop taking requests and finish those in flight, then let the workers finish and end.
    void app.close().then(() => pool.close());
  });
}
