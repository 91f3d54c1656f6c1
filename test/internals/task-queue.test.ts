import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskQueue, type Queueable } from '../../src/scheduler/task-queue.js';

interface Entry extends Queueable {
  readonly label: string;
}

const entry = (label: string, priority = 0): Entry => ({ label, priority, removed: false, queueToken: 0 });

const drainLabels = (queue: TaskQueue<Entry>): string[] => {
  const labels: string[] = [];
  for (let item = queue.shift(); item !== undefined; item = queue.shift()) labels.push(item.label);
  return labels;
};

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
const randomFrom = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
};

/** `count` distinct priorities 0 … count - 1 in a scrambled order. */
const scrambledPriorities = (count: number): number[] => {
  const random = randomFrom(count);
  const priorities = Array.from({ length: count }, (_, index) => index);
  for (let index = count - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [priorities[index], priorities[other]] = [priorities[other]!, priorities[index]!];
  }
  return priorities;
};

/** Milliseconds for `rounds` bursts of 1,000 one-priority pushes then 1,000 shifts; the fastest of 5 tries. */
const onePriorityCostMs = (queue: TaskQueue<Entry>, items: readonly Entry[], rounds: number): number => {
  let fastest = Infinity;
  for (let attempt = 0; attempt < 5; attempt++) {
    const started = performance.now();
    for (let round = 0; round < rounds; round++) {
      for (const item of items) queue.push(item);
      for (let index = 0; index < items.length; index++) queue.shift();
    }
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
};

describe('TaskQueue', () => {
  it('serves higher priorities first and keeps FIFO order within a priority', () => {
    const queue = new TaskQueue<Entry>();
    for (const [label, priority] of [['a', 0], ['b', 5], ['c', 0], ['d', 5], ['e', -1], ['f', 10]] as const) queue.push(entry(label, priority));
    assert.equal(queue.size, 6);
    assert.deepEqual(drainLabels(queue), ['f', 'b', 'd', 'a', 'c', 'e']);
    assert.equal(queue.size, 0);
    assert.equal(queue.slotCount, 0);
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

  it('serves the entry that has waited longest every sixteenth dequeue, an entry put back at the front counting as the oldest', () => {
    const queue = new TaskQueue<Entry>();
    for (const label of ['low 1', 'low 2']) queue.push(entry(label, 0));
    const retried = entry('retried low', 0);
    for (let index = 0; index < 40; index++) queue.push(entry(`high ${String(index)}`, 1));
    const served: string[] = [];
    for (let index = 0; index < 15; index++) served.push(queue.shift()?.label ?? 'none');
    queue.pushFront(retried);
    for (let index = 0; index < 17; index++) served.push(queue.shift()?.label ?? 'none');
    assert.deepEqual(
      served.map((label, index) => [index + 1, label]).filter(([, label]) => String(label).includes('low')),
      [
        [16, 'retried low'],
        [32, 'low 1'],
      ],
    );
  });

  it('skips removed entries and counts them out of its size at once', () => {
    const queue = new TaskQueue<Entry>();
    const entries = ['a', 'b', 'c', 'd'].map((label) => entry(label));
    for (const item of entries) queue.push(item);
    queue.remove(entries[1]!);
    queue.remove(entries[1]!);
    queue.remove(entries[3]!);
    assert.equal(queue.size, 2);
    assert.equal(entries[1]!.removed, true);
    assert.deepEqual(drainLabels(queue), ['a', 'c']);
  });

  it('ignores the removal of an entry that is not queued', () => {
    const queue = new TaskQueue<Entry>();
    const running = entry('running');
    queue.push(running);
    queue.push(entry('waiting'));
    assert.equal(queue.shift(), running);
    queue.remove(running);
    queue.remove(entry('never queued'));
    assert.equal(queue.size, 1);
    assert.deepEqual(drainLabels(queue), ['waiting']);
  });

  it('puts an entry back at the front of its priority level', () => {
    const queue = new TaskQueue<Entry>();
    queue.push(entry('a'));
    queue.push(entry('b'));
    const first = queue.shift()!;
    queue.pushFront(first);
    assert.deepEqual(drainLabels(queue), ['a', 'b']);
  });

  it('returns an entry shifted and pushed again exactly once per push', () => {
    const queue = new TaskQueue<Entry>();
    const retried = entry('retried', 3);
    queue.push(retried);
    queue.push(entry('other', 3));
    queue.push(entry('low', 0));
    const served: string[] = [];
    let retries = 0;
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      served.push(item.label);
      if (item === retried && retries++ < 2) {
        if (retries === 1) queue.push(retried);
        else queue.pushFront(retried);
      }
    }
    assert.deepEqual(served, ['retried', 'other', 'retried', 'retried', 'low']);
  });

  it('never returns a removed entry, whether it was the head, the middle or the only entry of its level', () => {
    const queue = new TaskQueue<Entry>();
    const head = entry('head', 1);
    const middle = entry('middle', 1);
    const alone = entry('alone', 7);
    for (const item of [head, middle, entry('tail', 1), alone, entry('low', 0)]) queue.push(item);
    for (const item of [middle, head, alone]) queue.remove(item);
    assert.equal(queue.size, 2);
    const served: string[] = [];
    for (let index = 0; index < 40; index++) {
      queue.push(entry('filler', 1));
      served.push(queue.shift()?.label ?? 'none');
    }
    served.push(...queue.drain().map((item) => item.label));
    assert.deepEqual(
      served.filter((label) => label !== 'filler'),
      ['tail', 'low'],
    );
  });

  it('returns an entry pushed, removed and pushed again exactly once', () => {
    for (const pushAgain of ['push', 'pushFront'] as const) {
      const queue = new TaskQueue<Entry>();
      const again = entry('again', 2);
      queue.push(entry('first', 2));
      queue.push(again);
      queue.push(entry('last', 2));
      queue.remove(again);
      queue[pushAgain](again);
      assert.equal(queue.size, 3);
      const served = drainLabels(queue);
      assert.deepEqual(served, pushAgain === 'push' ? ['first', 'last', 'again'] : ['again', 'first', 'last'], pushAgain);
    }
  });

  it('moves an entry that is pushed while still queued instead of serving it twice', () => {
    const queue = new TaskQueue<Entry>();
    const moved = entry('moved', 0);
    queue.push(moved);
    queue.push(entry('other', 0));
    queue.push(moved);
    assert.equal(queue.size, 2);
    assert.deepEqual(drainLabels(queue), ['other', 'moved']);
  });

  it('hands back only live entries when drained, highest priority first, and holds nothing afterwards', () => {
    const queue = new TaskQueue<Entry>();
    const entries = ['a', 'b', 'c'].map((label, index) => entry(label, index));
    for (const item of entries) queue.push(item);
    queue.remove(entries[0]!);
    assert.deepEqual(
      queue.drain().map((item) => item.label),
      ['c', 'b'],
    );
    assert.equal(queue.size, 0);
    assert.equal(queue.slotCount, 0);
    assert.deepEqual(queue.drain(), []);
  });

  it('serves exactly what a reference model serves under random pushes, put-backs, shifts and removals', () => {
    const random = randomFrom(11);
    const queue = new TaskQueue<Entry>();
    // The model: live entries with their arrival order (put-backs count as the oldest).
    const model = new Map<Entry, number>();
    let back = 0;
    let front = 0;
    let sinceAging = 0;
    const taken: Entry[] = [];
    for (let step = 0; step < 20_000; step++) {
      const choice = random();
      if (choice < 0.35) {
        const item = entry(String(step), Math.floor(random() * 4));
        queue.push(item);
        model.set(item, ++back);
      } else if (choice < 0.45 && taken.length > 0) {
        const item = taken.splice(Math.floor(random() * taken.length), 1)[0]!;
        if (random() < 0.5) {
          queue.pushFront(item);
          model.set(item, --front);
        } else {
          queue.push(item);
          model.set(item, ++back);
        }
      } else if (choice < 0.55 && model.size > 0) {
        const live = [...model.keys()];
        const item = live[Math.floor(random() * live.length)]!;
        queue.remove(item);
        model.delete(item);
        taken.push(item);
      } else {
        let expected: Entry | undefined;
        if (model.size > 0) {
          const aging = ++sinceAging >= 16;
          if (aging) sinceAging = 0;
          const orderOf = (item: Entry): number => model.get(item) ?? NaN;
          const before = (item: Entry, other: Entry): boolean =>
            aging ? orderOf(item) < orderOf(other) : item.priority > other.priority || (item.priority === other.priority && orderOf(item) < orderOf(other));
          for (const item of model.keys()) if (expected === undefined || before(item, expected)) expected = item;
        }
        assert.equal(queue.shift(), expected, `step ${String(step)}`);
        if (expected !== undefined) {
          model.delete(expected);
          taken.push(expected);
        }
      }
      if (model.size === 0) sinceAging = 0;
      assert.equal(queue.size, model.size, `step ${String(step)}`);
      if (model.size === 0) assert.equal(queue.slotCount, 0, `step ${String(step)}`);
    }
  });

  it('keeps its order when entries removed behind live ones pile up and it rebuilds itself', () => {
    const queue = new TaskQueue<Entry>();
    queue.pushFront(entry('put back', 0));
    const kept: string[] = [];
    for (let index = 0; index < 5_000; index++) {
      const item = entry(String(index), index % 3);
      queue.push(item);
      if (index % 10 < 3) kept.push(item.label);
      else queue.remove(item);
    }
    for (let index = 0; index < 5_000; index++) queue.push(entry(`late ${String(index)}`, 0));
    assert.equal(queue.size, 1 + kept.length + 5_000);
    const drained = queue.drain().map((item) => item.label);
    const expected = [2, 1, 0].flatMap((priority) => kept.filter((label) => Number(label) % 3 === priority));
    expected.splice(expected.length - kept.filter((label) => Number(label) % 3 === 0).length, 0, 'put back');
    for (let index = 0; index < 5_000; index++) expected.push(`late ${String(index)}`);
    assert.deepEqual(drained, expected);
  });

  it('holds slots in proportion to its live entries while entries come and time out around a few that wait, in one priority or several', () => {
    for (const priorities of [1, 7]) {
      const queue = new TaskQueue<Entry>();
      for (let index = 0; index < 10; index++) queue.push(entry(`waiting ${String(index)}`, (index * 5) % priorities));
      let mostSlots = 0;
      for (let index = 0; index < 100_000; index++) {
        const timedOut = entry(`timed out ${String(index)}`, index % priorities);
        queue.push(timedOut);
        queue.remove(timedOut);
        if (index % 1_000 === 0) {
          queue.push(entry(`served ${String(index)}`, index % priorities));
          queue.shift();
        }
        mostSlots = Math.max(mostSlots, queue.slotCount);
      }
      assert.equal(queue.size, 10);
      assert.ok(mostSlots < 3 * (2 * queue.size + 1_100), `${String(priorities)} priorities: held ${String(mostSlots)} slots for ${String(queue.size)} live entries`);
      assert.equal(queue.drain().length, 10);
    }
  });

  it('serves the oldest entry when ageing first meets a second priority behind a long queue of one', () => {
    const queue = new TaskQueue<Entry>();
    const removed = entry('removed', 0);
    queue.push(entry('first', 0));
    queue.push(removed);
    for (let index = 0; index < 100; index++) queue.push(entry(`zero ${String(index)}`, 0));
    queue.remove(removed);
    queue.pushFront(entry('put back', 0));
    const served: string[] = [];
    for (let index = 0; index < 10; index++) served.push(queue.shift()?.label ?? 'none');
    for (let index = 0; index < 30; index++) queue.push(entry(`high ${String(index)}`, 1));
    for (let index = 0; index < 12; index++) served.push(queue.shift()?.label ?? 'none');
    assert.deepEqual(served.slice(0, 3), ['put back', 'first', 'zero 0']);
    assert.equal(served[15], 'zero 8', 'the sixteenth dequeue takes the oldest entry left, not a high one');
    assert.deepEqual(served.slice(10, 15), ['high 0', 'high 1', 'high 2', 'high 3', 'high 4']);
    assert.ok(!served.includes('removed'));
  });

  it('serves 100,000 distinct priorities highest first, ageing every sixteenth dequeue, and holds no slot afterwards', () => {
    const queue = new TaskQueue<Entry>();
    const priorities = scrambledPriorities(100_000);
    for (const priority of priorities) queue.push(entry(String(priority), priority));
    // Expected: priorities high to low, except that every sixteenth dequeue takes the oldest entry left.
    const served = new Set<number>();
    let highest = priorities.length - 1;
    let oldest = 0;
    for (let dequeue = 1; dequeue <= priorities.length; dequeue++) {
      let expected: number;
      if (dequeue % 16 === 0) {
        while (served.has(priorities[oldest]!)) oldest++;
        expected = priorities[oldest]!;
      } else {
        while (served.has(highest)) highest--;
        expected = highest;
      }
      const item = queue.shift();
      if (item?.priority !== expected) assert.fail(`dequeue ${String(dequeue)} served ${String(item?.priority)}, expected ${String(expected)}`);
      served.add(expected);
    }
    assert.equal(queue.size, 0);
    assert.equal(queue.slotCount, 0);
  });

  it('costs as much per one-priority push and shift after a storm of 100,000 distinct priorities as a fresh queue does', () => {
    const items = Array.from({ length: 1_000 }, (_, index) => entry(String(index)));
    const fresh = new TaskQueue<Entry>();
    onePriorityCostMs(fresh, items, 50);
    const stormed = new TaskQueue<Entry>();
    for (const priority of scrambledPriorities(100_000)) stormed.push(entry(String(priority), priority));
    while (stormed.shift() !== undefined);
    assert.equal(stormed.slotCount, 0);
    const freshMs = Math.min(onePriorityCostMs(fresh, items, 50), onePriorityCostMs(fresh, items, 50));
    const stormedMs = Math.min(onePriorityCostMs(stormed, items, 50), onePriorityCostMs(stormed, items, 50));
    assert.ok(stormedMs < 3 * freshMs + 1, `after the storm ${stormedMs.toFixed(2)} ms, fresh ${freshMs.toFixed(2)} ms`);
    assert.equal(stormed.slotCount, 0);
  });
});
