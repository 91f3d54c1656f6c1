/**
 * Runs the demo service as a process: `node build/demo/service/main.js
 * [--inline] [--port 3000] [--threads N] [--max-queue N]`. Started by the
 * battle test with an IPC channel, it reports its URL and measurements there.
 */
import { parseServeFlags } from './command-line.js';
import type { ParentToService, ServiceToParent } from './control-messages.js';
import { createDemoService } from './create-service.js';

const settings = parseServeFlags(process.argv.slice(2));
const service = await createDemoService(settings.service);
const url = await service.listen(settings.port, settings.host);
const send = (message: ServiceToParent): void => {
  process.send?.(message);
};

if (process.send === undefined) {
  console.log(`Spindle demo service (${service.runner.mode}) on ${url}; dashboard: ${url}/dashboard`);
} else {
  process.on('message', (message: ParentToService) => {
    if (message.type === 'reset-measurements') service.measurements.reset();
    else send({ type: 'measurements', report: service.measurements.report(), poolStats: service.runner.stats() ?? null });
  });
  send({ type: 'listening', url });
}

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  service.close().then(
    () => {
      if (process.connected) process.disconnect();
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
      if (process.connected) process.disconnect();
    },
  );
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
