import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { expectedOutput, runToEnd, startServer, tsx, type RunningServer } from './child-processes.js';

/** Runs a program example and checks that it exits 0 printing what its comments say. */
async function assertPrintsWhatItSays(source: string, command: string, args: readonly string[]): Promise<void> {
  const expected = expectedOutput(source);
  assert.notEqual(expected, '', `${source} says in a comment what it prints`);
  const run = await runToEnd(command, args);
  assert.equal(run.code, 0, `${[command, ...args].join(' ')} failed:\n${run.stderr}`);
  assert.equal(run.stdout.trim(), expected);
}

/** Posts uploads to a server example's /gzip route, several at once, and checks each answer. */
async function assertGzipsUploads(server: RunningServer): Promise<void> {
  const uploads = [
    Buffer.from('a small upload'),
    Buffer.concat([randomBytes(200_000), Buffer.alloc(300_000, 'spindle ')]),
    randomBytes(2 * 1024 * 1024),
  ];
  await Promise.all(
    uploads.map(async (upload) => {
      const response = await fetch(`${server.url}/gzip`, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: upload });
      assert.equal(response.status, 200, await response.clone().text());
      assert.match(response.headers.get('content-type') ?? '', /^application\/gzip/);
      assert.deepEqual(gunzipSync(Buffer.from(await response.arrayBuffer())), upload);
    }),
  );
}

/** Starts a server example, sends it uploads, stops it with SIGTERM and checks that it ends cleanly. */
async function assertServesAndStops(command: string, args: readonly string[]): Promise<void> {
  const server = await startServer(command, args);
  let stopped = false;
  try {
    await assertGzipsUploads(server);
    const end = await server.stop();
    stopped = true;
    assert.equal(end.code, 0, `exit ${String(end.code ?? end.signal)} after SIGTERM:\n${end.stderr}`);
    assert.equal(end.stderr, '');
  } finally {
    if (!stopped) await server.stop(1_000);
  }
}

describe('examples/', () => {
  it('the ES module example runs its tasks on the pool and prints their results', async () => {
    await assertPrintsWhatItSays('examples/esm/main.mjs', process.execPath, ['examples/esm/main.mjs']);
  });

  it('the CommonJS example loads spindle with require() and prints its tasks\' results', async () => {
    await assertPrintsWhatItSays('examples/commonjs/main.cjs', process.execPath, ['examples/commonjs/main.cjs']);
  });

  it('the TypeScript example runs through tsx, finding tasks.ts from import.meta.resolve(\'./tasks.js\')', async () => {
    await assertPrintsWhatItSays('examples/typescript/main.ts', tsx, ['examples/typescript/main.ts']);
  });

  it('the TypeScript example runs compiled by tsc, finding the compiled tasks.js', async () => {
    await assertPrintsWhatItSays('examples/typescript/main.ts', process.execPath, ['build/examples/typescript/main.js']);
  });

  it('the Express example gzips uploads on the pool and ends with exit code 0 on SIGTERM', async () => {
    await assertServesAndStops(process.execPath, ['examples/express/server.mjs']);
  });

  it('the Fastify example gzips uploads on the pool and ends with exit code 0 on SIGTERM, through tsx', async () => {
    await assertServesAndStops(tsx, ['examples/fastify/server.ts']);
  });

  it('the Fastify example gzips uploads on the pool and ends with exit code 0 on SIGTERM, compiled by tsc', async () => {
    await assertServesAndStops(process.execPath, ['build/examples/fastify/server.js']);
  });
});
