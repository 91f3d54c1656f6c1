import { PoolDestroyedError } from '../errors.js';
import type { Engine } from '../scheduler/engine.js';

export interface CloseOptions {
  /**
   * Most milliseconds to wait for queued and running tasks; what is left
   * then rejects with ERR_POOL_DESTROYED and the workers are ended.
   * @default undefined (wait for everything)
   */
  readonly timeout?: number;
}

/**
 * close: accept nothing new, let queued and running tasks finish, then end
 * the workers. With a timeout, whatever is left when it expires is ended.
 */
export async function closeGracefully(engine: Engine, timeout: number | undefined): Promise<void> {
  engine.beginClosing();
  let timer: NodeJS.Timeout | undefined;
  const timedOut =
    timeout === undefined
      ? undefined
      : new Promise<'timeout'>((resolve) => {
          timer = setTimeout(resolve, timeout, 'timeout');
        });
  const outcome = await (timedOut === undefined ? engine.onIdle() : Promise.race([engine.onIdle(), timedOut]));
  if (timer !== undefined) clearTimeout(timer);
  if (outcome === 'timeout') {
    engine.rejectAll(() => new PoolDestroyedError(`The pool closed before the task finished (close timeout of ${String(timeout)} ms)`));
    await engine.workforce.shutdown(false);
  } else {
    await engine.workforce.shutdown(true);
  }
  engine.finishClosing();
}

/** destroy: reject everything pending and end the workers now. */
export async function destroyNow(engine: Engine): Promise<void> {
  engine.beginClosing();
  engine.rejectAll(() => new PoolDestroyedError());
  await engine.workforce.shutdown(false);
  engine.finishClosing();
}
