import type { TaskContext } from 'spindle/worker';
import { ByteChannel, RecordChannel, type ByteChannelHandle, type RecordChannelHandle } from 'spindle/shared';

export const READING = { sensor: { utf8: 8 }, celsius: 'float64' } as const;

// #region task
// in the worker: text lines in, typed records out, blocking at both ends
export function parseReadings(job: { lines: ByteChannelHandle; readings: RecordChannelHandle<typeof READING> }, context: TaskContext): number {
  const lines = ByteChannel.from(job.lines).reader();
  const readings = RecordChannel.from(job.readings).writer();
  const decoder = new TextDecoder();
  const buffer = new Uint8Array(16 * 1024);
  let rest = '';
  let count = 0;
  try {
    // readSync blocks while the channel is empty, returns null once the caller closed it and it is drained
    for (let read = lines.readSync(buffer, { signal: context }); read !== null; read = lines.readSync(buffer, { signal: context })) {
      const text = rest + decoder.decode(buffer.subarray(0, read), { stream: true });
      const complete = text.split('\n');
      rest = complete.pop() ?? '';
      for (const line of complete) {
        const [sensor = '', celsius = ''] = line.split(',');
        readings.writeSync({ sensor, celsius: Number(celsius) }, { signal: context }); // blocks while the caller is behind
        count++;
      }
    }
  } finally {
    lines.close(); // a caller still writing gets ERR_CHANNEL_CLOSED instead of waiting for room forever
    readings.close(); // the caller's for await ends
  }
  return count;
}
// #endregion
