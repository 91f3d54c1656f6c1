// server.mjs: an upload compressed on the pool (node examples/express/server.mjs)
import express from 'express';
import { Pool, transfer } from 'spindle';

const pool = new Pool(new URL('./tasks.mjs', import.meta.url), { maxQueue: 100 });
const app = express();

app.post('/gzip', express.raw({ type: 'application/octet-stream', limit: '64mb' }), async (request, response) => {
  // request.body is a Node Buffer, which is a Uint8Array: moved to a worker, not copied.
  const compressed = await pool.run('gzip', transfer(request.body));
  response.type('application/gzip').end(compressed);
});

const server = app.listen(0, '127.0.0.1', (error) => {
  if (error) throw error;
  const { port } = server.address();
  console.log(`listening on http://127.0.0.1:${port}`);
  console.log(`try: curl --data-binary @package.json -H 'content-type: application/octet-stream' http://127.0.0.1:${port}/gzip | gunzip`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    // Stop taking requests and finish those in flight, then let the workers finish and end.
    server.close(() => void pool.close());
  });
}
