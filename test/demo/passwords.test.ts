import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { postJson, startService, type RunningService } from './service-harness.js';

describe('POST /passwords/hash', () => {
  let running: RunningService;
  before(async () => {
    running = await startService();
  });
  after(() => running.close());

  it('returns a bcrypt hash that verifies against the password and not against another', async () => {
    const response = await postJson(`${running.url}/passwords/hash`, { password: 'correct horse battery staple', cost: 5 });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { hash: string; cost: number };
    assert.equal(body.cost, 5);
    assert.match(body.hash, /^\$2b\$05\$[./A-Za-z0-9]{53}$/);
    assert.equal(await bcrypt.compare('correct horse battery staple', body.hash), true);
    assert.equal(await bcrypt.compare('correct horse battery stapler', body.hash), false);
  });

  it('salts every hash: the same password twice gives two different hashes', async () => {
    const hashes = await Promise.all([1, 2].map(async () => ((await (await postJson(`${running.url}/passwords/hash`, { password: 'same', cost: 4 })).json()) as { hash: string }).hash));
    assert.notEqual(hashes[0], hashes[1]);
  });

  it('uses cost 10 when none is given', async () => {
    const body = (await (await postJson(`${running.url}/passwords/hash`, { password: 'hunter2' })).json()) as { hash: string; cost: number };
    assert.equal(body.cost, 10);
    assert.equal(bcrypt.getRounds(body.hash), 10);
    assert.equal(bcrypt.compareSync('hunter2', body.hash), true);
  });

  it('rejects an empty password and a cost below 4 with 400', async () => {
    assert.equal((await postJson(`${running.url}/passwords/hash`, { password: '' })).status, 400);
    assert.equal((await postJson(`${running.url}/passwords/hash`, { password: 'x', cost: 3 })).status, 400);
    assert.equal((await postJson(`${running.url}/passwords/hash`, { cost: 5 })).status, 400);
  });
});
