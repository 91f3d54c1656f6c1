// The piscina tests spindle/piscina does not pass, each with its reason.
// docs/migrating-from-piscina.md lists the same; test/piscina/exclusions.test.ts keeps the two in sync.
const LOAD_BALANCER =
  'uses the `loadBalancer` option, a function that picks the worker for each task from piscina\'s own PiscinaWorker objects; Spindle\'s engine places tasks itself (the least loaded worker) and does not expose its workers to such a function';
const NOT_STARTED_RUNS_ELSEWHERE =
  'passes unless the worker exits before it claims the second task (on a loaded machine the first task\'s process.exit() can come first): spindle/piscina then runs that task on another worker, as it does every task a dying worker had not started, where piscina rejects every task it had posted to the worker; a deliberate difference (docs/migrating-from-piscina.md), listed so that a loaded run does not fail npm test';
const WORKER_TIMER_RACE =
  'passes unless the machine is loaded: the fixture\'s worker sets what the second task reads in a 5 ms timer after the first task, and the test sends the second task 10 ms after the first result; a worker thread kept off the CPU for longer wakes with both the timer due and the task waiting, and Node runs the task first. On a loaded 2-core VM (load average 13-18) the two tests of this file together failed 2 times in 48 test runs with the build before the per-call changes of issue 17, and 2 in 48 with the build after them; listed so that a loaded run does not fail npm test';
export const EXCLUDED = [
  { file: 'test-is-buffer-transferred.test.ts', name: 'transferable objects must be transferred', reason: WORKER_TIMER_RACE },
  { file: 'test-is-buffer-transferred.test.ts', name: 'objects that implement transferable must be transferred', reason: WORKER_TIMER_RACE },
  { file: 'test-uncaught-exception-from-handler.test.ts', name: 'exiting process in immediate after task errors next task and resets worker', reason: NOT_STARTED_RUNS_ELSEWHERE },
  { file: 'pool.test.ts', name: 'workerCreate/workerDestroy should be emitted while managing worker lifecycle', reason: LOAD_BALANCER },
  { file: 'workers.test.ts', name: 'workers are marked as destroyed if destroyed', reason: LOAD_BALANCER },
  { file: 'histogram.test.ts', name: 'workers has histogram', reason: LOAD_BALANCER },
  { file: 'histogram.test.ts', name: 'workers does not have histogram if disabled', reason: LOAD_BALANCER },
];
