// The piscina tests spindle/piscina does not pass, each with its reason.
// docs/migrating-from-piscina.md lists the same; test/piscina/docs-sync.test.ts keeps the two in sync.
const WORKER_TIMER_RACE =
  'passes unless the machine is loaded: the fixture\'s worker sets what the second task reads in a 5 ms timer after the first task, and the test sends the second task 10 ms after the first result; a worker thread kept off the CPU for longer wakes with both the timer due and the task waiting, and Node runs the task first. On a loaded 2-core VM (load average 13-18) the two tests of this file together failed 2 times in 48 test runs with the build before the per-call changes of issue 17, and 2 in 48 with the build after them; on Node 24 on the same VM, unloaded, one of the two failed in 3 of 11 runs of the suite (with the builds of 2026-12-02 before and after spindle/worker became one file alike), and in 1 of 2 loaded CI runs; listed so that such a run does not fail npm test';
export const EXCLUDED = [
  { file: 'test-is-buffer-transferred.test.ts', name: 'transferable objects must be transferred', reason: WORKER_TIMER_RACE },
  { file: 'test-is-buffer-transferred.test.ts', name: 'objects that implement transferable must be transferred', reason: WORKER_TIMER_RACE },
];
