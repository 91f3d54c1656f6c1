import type { PhaseMode, PhaseStep } from './battle-test.js';
import type { LoadProgress } from './drive-load.js';

/**
 * Shows where the battle test is: on a terminal one line rewritten every
 * second with a bar; elsewhere (CI logs) a line every five seconds.
 */
export function createProgressPrinter(durationSeconds: number, output: NodeJS.WriteStream = process.stdout): (mode: PhaseMode, step: PhaseStep, progress?: LoadProgress) => void {
  let lastLoggedSecond = -1;
  return (mode, step, progress) => {
    const name = mode.padEnd(7);
    if (step !== 'measuring' || progress === undefined) {
      if (output.isTTY) output.write('\r\x1b[2K');
      output.write(`${name} ${step}…\n`);
      lastLoggedSecond = -1;
      return;
    }
    const seconds = Math.min(durationSeconds, Math.round(progress.elapsedSeconds));
    const line = `${name} measuring ${bar(seconds / durationSeconds)} ${String(seconds).padStart(3)} / ${String(durationSeconds)} s, ${String(progress.answered)} responses`;
    if (output.isTTY) output.write(`\r\x1b[2K${line}`);
    else if (seconds % 5 === 0 && seconds !== lastLoggedSecond && seconds > 0) output.write(`${line}\n`);
    lastLoggedSecond = seconds;
  };
}

function bar(fraction: number): string {
  const width = 24;
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
