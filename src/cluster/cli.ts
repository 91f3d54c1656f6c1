#!/usr/bin/env node
/**
 * `npx spindle-cluster ./server.js --processes 2`: the supervisor from the
 * shell. Exits 1 when the cluster cannot start, 2 on bad arguments; on
 * SIGTERM/SIGINT it drains and exits 0 (1 when a process had to be killed).
 */
import { parseCommandLine, USAGE } from './cli-arguments.js';
import { startCluster } from './primary/cluster.js';

let commandLine;
try {
  commandLine = parseCommandLine(process.argv.slice(2));
} catch (error) {
  console.error(`spindle-cluster: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  process.exit(2);
}
if (commandLine.help) {
  console.log(USAGE);
} else {
  try {
    const cluster = startCluster(commandLine.options);
    await cluster.ready.catch((error: unknown) => {
      const code = typeof error === 'object' && error !== null && 'code' in error ? `${String(error.code)}: ` : '';
      console.error(`spindle-cluster: ${code}${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  } catch (error) {
    console.error(`spindle-cluster: ${error instanceof Error ? `${(error as Error & { code?: string }).code ?? ''} ${error.message}`.trim() : String(error)}`);
    process.exit(2);
  }
}
