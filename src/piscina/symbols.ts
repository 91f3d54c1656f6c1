/**
 * piscina's public symbols. They are registered symbols (`Symbol.for`),
 * the same ones piscina uses, so an object written for piscina's
 * transferable protocol or queue options works here unchanged.
 */
export const transferableSymbol: unique symbol = Symbol.for('Piscina.transferable') as never;
export const valueSymbol: unique symbol = Symbol.for('Piscina.valueOf') as never;
export const queueOptionsSymbol: unique symbol = Symbol.for('Piscina.queueOptions') as never;

/** Set on a worker thread's global object by the compatibility worker module: `isWorkerThread` reads it. */
export const WORKER_MARKER = Symbol.for('spindle.piscina.worker');
