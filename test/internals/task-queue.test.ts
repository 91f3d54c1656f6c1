import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskQueue, type Queueable } from '../../src/pool/task-queue.js';

interface Entry extends Queueable {
  readonly label: string;
}

let clock = 0;
const entry = (label: string, priority = 0): Entry => ({ label, priority, enqueuedAt: clock++, removed: false });

const drainLabels = (queue: TaskQueue<Entry>): string[] => {
  const labels: string[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) labels.push(item.label);
  return labels;
};

describe('TaskQueue', () => {
  it('serves higher priorities first and keeps FIFO order within a priority', () => {
    const queue = new TaskQueue<Entry>();
    for (const [label, priority] of [['a', 0], ['b', 5], ['c', 0], ['d', 5], ['e', -1], ['f', 10]] as const) queue.push(entry(label, priority));
    assert.equal(queue.size, 6);
    assert.deepEqual(drainLabels(queue), ['f', 'b', 'd', 'a', 'c', 'e']);
    assert.equal(queue.size, 0);
    assert.equal(queue.shift(), undefined);
  });

  it('does not starve a low priority entry under a sustained stream of high priority ones', () => {
    const queue = new TaskQueue<Entry>();
    queue.push(entry('low', 0));
    let served = 0;
    for (;;) {
      queue.push(entry('high', 1));
      const next = queue.shift();
      served++;
      if (next?.label === 'low') break;
      assert.ok(served < 100, 'the low priority entry was starved');
    }
    assert.ok(served <= 16, `served after ${String(served)} dequeues`);
  });

  it('skips removed entries and counts them out of its size at once', () => {
    const queue = new TaskQueue<Entry>();
    const entries = ['a', 'b', 'c', 'd'].map((label) => entry(label));
    for (const item of entries) queue.push(item);
    queue.remove(entries[1]!);
    queue.remove(entries[1]!);
    queue.remove(entries[3]!);
    assert.equal(queue.size, 2);
    assert.deepEqual(drainLabels(queue), ['a', 'c']);
  });

  it('puts an entry back at the front of its priority level', () => {
    const queue = new TaskQueue<Entry>();
    queue.push(entry('a'));
    queue.push(entry('b'));
    const first = queue.shift()!;
    queue.pushFront(first);
    assert.deepEqual(drainLabels(queue), ['a', 'b']);
  });

  it('hands back only live entries when drained', () => {
    const queue = new TaskQueue<Entry>();
    const entries = ['a', 'b', 'c'].map((label, index) => entry(label, index));
    for (const item of entries) queue.push(item);
    queue.remove(entries[0]!);
    assert.deepEqual(queue.drain().map((item) => item.label).sort(), ['b', 'c']);
    assert.equal(queue.size, 0);
  });
});
