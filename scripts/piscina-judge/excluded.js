// The piscina tests spindle/piscina does not pass, each with its reason.
// docs/migrating-from-piscina.md lists the same; test/piscina/exclusions.test.ts keeps the two in sync.
const LOAD_BALANCER =
  'uses the `loadBalancer` option, a function that picks the worker for each task from piscina\'s own PiscinaWorker objects; Spindle\'s engine places tasks itself (the least loaded worker) and does not expose its workers to such a function';
export const EXCLUDED = [
  { file: 'pool.test.ts', name: 'workerCreate/workerDestroy should be emitted while managing worker lifecycle', reason: LOAD_BALANCER },
  { file: 'workers.test.ts', name: 'workers are marked as destroyed if destroyed', reason: LOAD_BALANCER },
  { file: 'histogram.test.ts', name: 'workers has histogram', reason: LOAD_BALANCER },
  { file: 'histogram.test.ts', name: 'workers does not have histogram if disabled', reason: LOAD_BALANCER },
];
