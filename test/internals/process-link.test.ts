import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Duplex } from 'node:stream';
import { ProcessLink } from '../../src/protocol/process-link.js';

/** A pipe end that records what is written to it; what it reads, the test emits as 'data'. */
class RecordingPipe extends Duplex {
  readonly chunks: Buffer[] = [];

  override _read(): void {
    // Fed by the test.
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    this.chunks.push(chunk);
    done();
  }
}

/** One end of a link whose IPC channel and pipe the test drives by hand: what it sends is recorded, what it receives is fed. */
function endpoint(): { link: ProcessLink; pipe: RecordingPipe; sentOnChannel: unknown[]; received: (readonly unknown[])[] } {
  const pipe = new RecordingPipe();
  const sentOnChannel: unknown[] = [];
  const link = new ProcessLink((wire) => sentOnChannel.push(wire), pipe, () => undefined);
  const received: (readonly unknown[])[] = [];
  link.onMessage((message) => received.push(message));
  return { link, pipe, sentOnChannel, received };
}

/** The bytes one link wrote to its pipe. */
function written(pipe: RecordingPipe): Buffer {
  return Buffer.concat(pipe.chunks);
}

const big = (fill: number): Uint8Array => new Uint8Array(100_000).fill(fill);

describe('ProcessLink', () => {
  it('delivers messages in the order they were sent, whether a frame comes before or after its announcement', () => {
    const sender = endpoint();
    const sent = [[12, 1, 0, 'a'], [12, 2, 0, big(2)], [12, 3, 0, new Map([[3, 3]])], [12, 4, 0, big(4)], [12, 5, 0, undefined]];
    for (const message of sent) sender.link.send(message);
    assert.equal(sender.sentOnChannel.filter((wire) => wire === 0).length, 2, 'the two long messages are announced, not carried, on the channel');
    const bytes = written(sender.pipe);

    // Announcements first, frames later: the messages behind an announcement wait for its frame.
    const late = endpoint();
    for (const wire of sender.sentOnChannel) late.link.receive(JSON.parse(JSON.stringify(wire)) as unknown);
    assert.deepStrictEqual(late.received, [sent[0]]);
    late.pipe.emit('data', bytes);
    assert.deepStrictEqual(late.received, sent);

    // Frames first, split at every few bytes: each waits for its announcement.
    const early = endpoint();
    for (let offset = 0; offset < bytes.length; offset += 7) early.pipe.emit('data', bytes.subarray(offset, offset + 7));
    assert.deepStrictEqual(early.received, []);
    for (const wire of sender.sentOnChannel) early.link.receive(JSON.parse(JSON.stringify(wire)) as unknown);
    assert.deepStrictEqual(early.received, sent);
  });

  it('opens a side pipe it is given as a function only when a long message first needs it, either way', () => {
    const sender = endpoint();
    sender.link.send([12, 1, 0, big(1)]);
    const bytes = written(sender.pipe);
    const opened: RecordingPipe[] = [];
    const open = (): RecordingPipe => {
      const pipe = new RecordingPipe();
      opened.push(pipe);
      return pipe;
    };

    const receiver = new ProcessLink(() => undefined, open, () => undefined);
    const received: (readonly unknown[])[] = [];
    receiver.onMessage((message) => received.push(message));
    receiver.receive(JSON.parse(JSON.stringify([12, 2, 0, 'short'])) as unknown);
    receiver.send([12, 3, 0, 'short']);
    assert.equal(opened.length, 0, 'short messages both ways leave the pipe unopened');
    receiver.receive(sender.sentOnChannel[0]);
    assert.equal(opened.length, 1, 'an announcement opens it, so that the frame waiting there is read');
    opened[0]?.emit('data', bytes);
    assert.deepStrictEqual(received, [[12, 2, 0, 'short'], [12, 1, 0, big(1)]]);

    const writer = new ProcessLink(() => undefined, open, () => undefined);
    writer.send([12, 4, 0, big(4)]);
    assert.equal(opened.length, 2, 'a long message to send opens it');
    assert.ok(written(opened[1] as RecordingPipe).length > 100_000);
  });

  it('never delivers a frame cut short, nor what was sent after it', () => {
    const sender = endpoint();
    sender.link.send([12, 1, 0, big(1)]);
    sender.link.send([12, 2, 0, 'after']);
    const bytes = written(sender.pipe);
    const receiver = endpoint();
    receiver.pipe.emit('data', bytes.subarray(0, bytes.length - 1));
    for (const wire of sender.sentOnChannel) receiver.link.receive(wire);
    assert.deepStrictEqual(receiver.received, []);
  });

  it('holds what comes before a listener is set and hands it to the listener in order', () => {
    const link = new ProcessLink(() => undefined, new RecordingPipe(), () => undefined);
    link.receive([10, ['a']]);
    link.receive({ m: [12, 1, 0, null, 1], u: [3] });
    const received: (readonly unknown[])[] = [];
    link.onMessage((message) => received.push(message));
    assert.deepStrictEqual(received, [[10, ['a']], [12, 1, 0, undefined, 1]]);
  });

  it('gives nextMessage() one message and holds those after it, even those already waiting, for the next listener', async () => {
    const link = new ProcessLink(() => undefined, new RecordingPipe(), () => undefined);
    link.receive([1, 'start']);
    link.receive([2, 'first task']);
    assert.deepStrictEqual(await link.nextMessage(), [1, 'start']);
    link.receive([3, 'second task']);
    const received: (readonly unknown[])[] = [];
    link.onMessage((message) => received.push(message));
    assert.deepStrictEqual(received, [[2, 'first task'], [3, 'second task']]);
  });

  it('gives nextMessage() the first message to come when none waits, and holds the next', async () => {
    const link = new ProcessLink(() => undefined, new RecordingPipe(), () => undefined);
    const first = link.nextMessage();
    link.receive([1, 'start']);
    link.receive([2, 'task']);
    assert.deepStrictEqual(await first, [1, 'start']);
    const received: (readonly unknown[])[] = [];
    link.onMessage((message) => received.push(message));
    assert.deepStrictEqual(received, [[2, 'task']]);
  });

  it('refuses a message before anything of it is sent', () => {
    const pipe = new RecordingPipe();
    const sentOnChannel: unknown[] = [];
    const link = new ProcessLink((wire) => sentOnChannel.push(wire), pipe, () => {
      throw new Error('refused');
    });
    assert.throws(() => { link.send([1, big(1)]); }, /refused/);
    assert.deepEqual(sentOnChannel, []);
    assert.deepEqual(pipe.chunks, []);
  });
});
