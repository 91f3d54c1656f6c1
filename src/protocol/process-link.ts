import type { Duplex } from 'node:stream';
import { fromWire, ON_SIDE_PIPE, toWire } from './process-wire.js';

/** The frame header: the length of the V8 bytes that follow, little-endian. */
const HEADER_BYTES = 4;
/** Where a message announced on the IPC channel waits for its frame. */
const AWAITING_FRAME = Symbol('awaiting a frame');

/**
 * Both ends of the link between the pool and a process worker: Node's
 * 'json' IPC channel, and a side pipe for the messages whose V8
 * serialization is long (see process-wire.ts). Messages are delivered in
 * the order they were sent, whichever way each came: a message that
 * follows one announced on the IPC channel waits until that one's frame
 * has been read from the pipe.
 *
 *   side pipe:   [length u32 LE][V8 bytes][length][V8 bytes]…
 *
 * The IPC channel stays the link's spine: it carries the start message's
 * announcement, and its closing tells a worker that the pool is gone.
 */
export class ProcessLink {
  readonly #sendOnChannel: (wire: unknown) => void;
  #pipe: Duplex | (() => Duplex);
  readonly #beforeClone: (message: readonly unknown[]) => void;
  #listener: ((message: readonly unknown[]) => void) | undefined;
  /** Messages received, in order, behind one that awaits its frame (or before a listener was set). */
  readonly #held: (readonly unknown[] | typeof AWAITING_FRAME)[] = [];
  /** Frames read whose announcement has not come yet. */
  readonly #frames: (readonly unknown[])[] = [];
  #chunks: Buffer[] = [];
  #buffered = 0;

  /**
   * `pipe`: the side pipe, or how to open it. A worker opens it only when a
   * message first needs it (most never do, and opening it costs a process
   * about 2 ms of its start): a frame waits in the pipe until its
   * announcement, which comes after it, makes the worker read there.
   */
  constructor(sendOnChannel: (wire: unknown) => void, pipe: Duplex | (() => Duplex), beforeClone: (message: readonly unknown[]) => void) {
    this.#sendOnChannel = sendOnChannel;
    this.#pipe = pipe;
    this.#beforeClone = beforeClone;
    if (typeof pipe !== 'function') this.#listen(pipe);
  }

  #listen(pipe: Duplex): Duplex {
    pipe.on('data', (chunk: Buffer) => {
      this.#read(chunk);
    });
    return pipe;
  }

  #openPipe(): Duplex {
    if (typeof this.#pipe === 'function') this.#pipe = this.#listen(this.#pipe());
    return this.#pipe;
  }

  /** Sends a message; throws what toWire() throws, before anything is sent. */
  send(message: readonly unknown[]): void {
    const wire = toWire(message, this.#beforeClone);
    if (!Buffer.isBuffer(wire)) {
      this.#sendOnChannel(wire);
      return;
    }
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header.writeUInt32LE(wire.length, 0);
    const pipe = this.#openPipe();
    pipe.write(header);
    pipe.write(wire);
    this.#sendOnChannel(ON_SIDE_PIPE);
  }

  /** Sets the one listener of incoming messages; those that came before it are delivered to it at once. */
  onMessage(listener: (message: readonly unknown[]) => void): void {
    this.#listener = listener;
    this.#deliverHeld();
  }

  /**
   * The next incoming message, alone: what comes after it is held for the
   * listener set next (the start message, before the worker's runner
   * listens; nothing sent meanwhile is lost).
   */
  nextMessage(): Promise<readonly unknown[]> {
    return new Promise((resolve) => {
      this.onMessage((message) => {
        this.#listener = undefined;
        resolve(message);
      });
    });
  }

  /** What the IPC channel brought. */
  receive(wire: unknown): void {
    if (wire === ON_SIDE_PIPE) this.#openPipe();
    if (this.#held.length === 0 && this.#listener !== undefined) {
      if (wire !== ON_SIDE_PIPE) this.#listener(fromWire(wire));
      else {
        const framed = this.#frames.shift();
        if (framed === undefined) this.#held.push(AWAITING_FRAME);
        else this.#listener(framed);
      }
      return;
    }
    this.#held.push(wire === ON_SIDE_PIPE ? AWAITING_FRAME : fromWire(wire));
    this.#deliverHeld();
  }

  #deliverHeld(): void {
    while (this.#held.length > 0 && this.#listener !== undefined) {
      const head = this.#held[0];
      const message = head === AWAITING_FRAME ? this.#frames.shift() : head;
      if (message === undefined) return;
      this.#held.shift();
      this.#listener(message);
    }
  }

  /** Collects the pipe's bytes until whole frames are in; a frame cut short by the other end's death is never delivered. */
  #read(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#buffered += chunk.length;
    for (;;) {
      if (this.#buffered < HEADER_BYTES) return;
      if ((this.#chunks[0]?.length ?? 0) < HEADER_BYTES) this.#chunks = [Buffer.concat(this.#chunks, this.#buffered)];
      const length = (this.#chunks[0] as Buffer).readUInt32LE(0);
      if (this.#buffered < HEADER_BYTES + length) return;
      // Joined once, when the frame is whole (a long frame comes in many reads).
      const bytes = this.#chunks.length === 1 ? (this.#chunks[0] as Buffer) : Buffer.concat(this.#chunks, this.#buffered);
      const rest = bytes.subarray(HEADER_BYTES + length);
      this.#chunks = rest.length === 0 ? [] : [rest];
      this.#buffered = rest.length;
      this.#frames.push(fromWire(bytes.subarray(HEADER_BYTES, HEADER_BYTES + length)));
      this.#deliverHeld();
    }
  }
}
