import type { Transferable } from 'node:worker_threads';
import { MessageKind, Outcome, RESULT_FIELDS, type OutcomeCode } from '../protocol/messages.js';
import { ResultLogWriter } from '../protocol/result-log.js';
import { isTransferred } from '../protocol/transfer.js';
import { toWireError } from '../protocol/wire-error.js';
import type { PoolChannel } from './channel.js';
import { monotonicMs } from './clock.js';

/**
 * The results a worker holds back to send many in one RESULTS message, each
 * also recorded in the result log the moment it is added (see
 * protocol/result-log.ts), so that it survives the worker; the log is cleared
 * once the message is out. A result that moves buffers, or that the log
 * cannot hold, must go out at once; so must every result of a worker that
 * shares no memory with its pool (a process), where nothing else would
 * survive a crash.
 */
export class ResultBatch {
  readonly #channel: PoolChannel;
  /** Undefined where the pool shares no memory (a process): each result then goes out as it finishes. */
  readonly #log: ResultLogWriter | undefined;
  /** The RESULTS message being filled: the kind, then RESULT_FIELDS per task. */
  #results: unknown[] = [MessageKind.Results];
  /** Everything the held results move, and per result (by its index) for the one-by-one fallback. */
  #transfers: Transferable[] = [];
  #transfersByIndex: Map<number, readonly Transferable[]> | undefined;
  /** monotonicMs() of the last send. */
  lastSentAt = 0;

  constructor(channel: PoolChannel, memory: SharedArrayBuffer) {
    this.#channel = channel;
    this.#log = channel.sharesMemory ? new ResultLogWriter(memory) : undefined;
  }

  /** Whether results are held. */
  get holding(): boolean {
    return this.#results.length > 1;
  }

  /** A task that did not run (aborted before it started, or taken back): settled already, so not logged. */
  addSkipped(seq: number): void {
    this.#results.push(seq, Outcome.Skipped, undefined, 0);
  }

  /** Holds a result back and logs it; returns true when it must go out at once, with everything held before it. */
  add(seq: number, outcome: OutcomeCode, value: unknown, runTimeUs: number): boolean {
    if (isTransferred(value)) {
      (this.#transfersByIndex ??= new Map()).set(this.#results.length, value.transferList);
      for (const item of value.transferList) this.#transfers.push(item);
      this.#results.push(seq, outcome, value.value, runTimeUs);
      return true;
    }
    this.#results.push(seq, outcome, value, runTimeUs);
    return this.#log === undefined || !this.#log.record(seq, outcome, runTimeUs, value);
  }

  /** Sends what is held in one message, then clears the log. */
  send(): void {
    this.lastSentAt = monotonicMs();
    if (this.#results.length === 1) return;
    const results = this.#results;
    const transfers = this.#transfers;
    const transfersByIndex = this.#transfersByIndex;
    this.#results = [MessageKind.Results];
    this.#transfers = [];
    this.#transfersByIndex = undefined;
    try {
      this.#channel.send(results, transfers);
    } catch {
      this.#sendOneByOne(results, transfersByIndex);
    }
    this.#log?.clear();
  }

  /** A batch failed to clone: send each result alone so only the guilty ones fail. */
  #sendOneByOne(results: unknown[], transfersByIndex: ReadonlyMap<number, readonly Transferable[]> | undefined): void {
    for (let index = 1; index < results.length; index += RESULT_FIELDS) {
      const record = results.slice(index, index + RESULT_FIELDS);
      try {
        this.#channel.send([MessageKind.Results, ...record], transfersByIndex?.get(index) ?? []);
      } catch (error) {
        const [seq, , , runTimeUs] = record;
        this.#channel.send([MessageKind.Results, seq, Outcome.NotCloneable, toWireError(error), runTimeUs]);
      }
    }
  }
}
