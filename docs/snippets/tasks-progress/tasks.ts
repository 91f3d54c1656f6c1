import type { TaskContext } from 'spindle/worker';

export interface VideoJob {
  readonly frames: readonly Uint8Array[];
}
/** Stands in for real work on a frame. */
const encodeFrame = async (frame: Uint8Array): Promise<number> => Promise.resolve(frame.length);

// #region encode
// in the worker
export async function encode(video: VideoJob, context: TaskContext) {
  for (const [index, frame] of video.frames.entries()) {
    context.progress({ done: index + 1, of: video.frames.length });
    await encodeFrame(frame);
  }
  return { frames: video.frames.length };
}
// #endregion

export function render(pages: number, context: TaskContext): number {
  for (let page = 1; page <= pages; page++) {
    // #region emit
    // in the worker
    context.emit('log', { level: 'info', message: `page ${page} rendered` });
    // #endregion
  }
  return pages;
}
