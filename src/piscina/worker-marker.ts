import { isMainThread } from 'node:worker_threads';
import { WORKER_MARKER } from './symbols.js';

// Imported first by the worker module: from here on, this thread is a pool worker (`isWorkerThread`).
if (!isMainThread) (globalThis as Record<symbol, unknown>)[WORKER_MARKER] = true;
