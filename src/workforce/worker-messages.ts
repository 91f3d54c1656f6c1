import { MessageKind, RESULT_FIELDS, type OutcomeCode } from '../protocol/messages.js';
import { fromWireError, type WireError } from '../protocol/wire-error.js';
import type { SentTask, WorkerHandle } from './worker-handle.js';

/** What the pool does with each kind of message a worker sends (see protocol/messages.ts). */
export interface WorkerMessageHandlers<T extends SentTask = SentTask> {
  ready(worker: WorkerHandle<T>, taskNames: readonly string[]): void;
  loadFailed(worker: WorkerHandle<T>, error: WireError, location: string | undefined): void;
  heapOverLimit(worker: WorkerHandle<T>): void;
  teardownFailed(worker: WorkerHandle<T>, error: WireError): void;
  /** One RESULTS record: the answer to the task sent to the worker as `seq`. */
  result(worker: WorkerHandle<T>, seq: number, outcome: OutcomeCode, value: unknown, runTimeUs: number): void;
  /** A RESULTS message was read to its end. */
  resultsRead(worker: WorkerHandle<T>): void;
  progress(worker: WorkerHandle<T>, seq: number, value: unknown, event: string | undefined): void;
}

/** Decodes one message from a worker, whatever carried it, into calls of `handlers`. */
export function dispatchWorkerMessage<T extends SentTask>(worker: WorkerHandle<T>, message: readonly unknown[], handlers: WorkerMessageHandlers<T>): void {
  switch (message[0]) {
    case MessageKind.Results:
      for (let index = 1; index < message.length; index += RESULT_FIELDS) {
        handlers.result(worker, message[index] as number, message[index + 1] as OutcomeCode, message[index + 2], message[index + 3] as number);
      }
      handlers.resultsRead(worker);
      break;
    case MessageKind.Progress:
      handlers.progress(worker, message[1] as number, message[2], message[3] as string | undefined);
      break;
    case MessageKind.Ready:
      handlers.ready(worker, message[1] as string[]);
      break;
    case MessageKind.LoadFailed:
      handlers.loadFailed(worker, message[1] as WireError, message[2] as string | undefined);
      break;
    case MessageKind.HeapOverLimit:
      handlers.heapOverLimit(worker);
      break;
    case MessageKind.Exiting:
      worker.exiting(message[1] as number, message[2] === undefined ? undefined : fromWireError(message[2] as WireError));
      break;
    case MessageKind.TeardownFailed:
      handlers.teardownFailed(worker, message[1] as WireError);
      break;
  }
}
