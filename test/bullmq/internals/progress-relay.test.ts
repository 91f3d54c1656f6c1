import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EVENT_KEY, ProgressRelay } from '../../../src/bullmq/progress-relay.js';

/** A send whose every call waits until the test lets it through. */
function gatedSend(): { readonly sent: unknown[]; release(): void; readonly send: (value: unknown) => Promise<void> } {
  const sent: unknown[] = [];
  let gates: (() => void)[] = [];
  return {
    sent,
    release() {
      const open = gates;
      gates = [];
      for (const gate of open) gate();
    },
    send(value) {
      sent.push(value);
      return new Promise((resolve) => gates.push(resolve));
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('ProgressRelay', () => {
  it('sends one update at a time, in order; progress queued behind a send is replaced by newer progress, events never are', async () => {
    const gate = gatedSend();
    const relay = new ProgressRelay(gate.send, (error) => assert.fail(String(error)));
    relay.progress(1);
    relay.progress(2);
    relay.progress(3);
    relay.event('checkpoint', { at: 3 });
    relay.progress(4);
    relay.progress(5);
    assert.deepEqual(gate.sent, [1], 'one update on its way at a time');
    for (let round = 0; round < 4; round++) {
      gate.release();
      await settle();
    }
    assert.deepEqual(gate.sent, [1, 3, { [EVENT_KEY]: 'checkpoint', data: { at: 3 } }, 5]);
    const flushed = relay.flush();
    gate.release();
    await flushed;
  });

  it('flush() waits until every update has been sent', async () => {
    const gate = gatedSend();
    const relay = new ProgressRelay(gate.send, () => undefined);
    relay.event('a', 1);
    relay.event('b', 2);
    let flushed = false;
    const flushing = relay.flush().then(() => (flushed = true));
    gate.release();
    await settle();
    assert.equal(flushed, false);
    gate.release();
    await flushing;
    assert.deepEqual(gate.sent, [{ [EVENT_KEY]: 'a', data: 1 }, { [EVENT_KEY]: 'b', data: 2 }]);
  });

  it('reports an update that cannot be encoded or sent, and goes on with the next', async () => {
    const reported: string[] = [];
    const sent: unknown[] = [];
    const relay = new ProgressRelay(
      (value) => {
        sent.push(value);
        return value === 2 ? Promise.reject(new Error('Redis is away')) : Promise.resolve();
      },
      (error) => reported.push((error as Error).message),
    );
    relay.progress(() => 'not data');
    relay.progress(2);
    await relay.flush();
    relay.event('after', 3);
    await relay.flush();
    assert.deepEqual(sent, [2, { [EVENT_KEY]: 'after', data: 3 }]);
    assert.deepEqual(reported, ['The value is a function, which cannot be sent', 'Redis is away']);
  });
});
