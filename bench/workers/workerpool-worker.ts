import workerpool from 'workerpool';
import { fib, fibTimed, noop, spin } from './tasks.js';

workerpool.worker({
  noop,
  fib,
  fibTimed,
  spin,
  quickJob: spin,
  slowJob: spin,
  /** workerpool moves a returned `Transfer` object's transfer list. */
  echoBuffer: (buffer: ArrayBuffer) => new workerpool.Transfer(buffer, [buffer]),
});
