// #region shown
// tasks.ts
import type { WorkerSetupContext } from 'spindle/worker';

interface Settings {
  readonly modelName: string;
}
let model: Map<string, number> | undefined;

/** Runs once in each worker, before its first task: load a model, open a connection. */
export async function setup({ workerData }: WorkerSetupContext): Promise<void> {
  model = await loadModel((workerData as Settings).modelName);
}

/** Runs once when the worker is retired or the pool closes. */
export function teardown(): void {
  model?.clear();
}

export function score(text: string): number {
  return Array.from(text, (letter) => model?.get(letter) ?? 0).reduce((total, points) => total + points, 0);
}
// #endregion

async function loadModel(name: string): Promise<Map<string, number>> {
  await new Promise((resolve) => setTimeout(resolve, 5));
  return new Map(name === 'vowels' ? [['a', 1], ['e', 1], ['i', 1], ['o', 1], ['u', 1]] : []);
}
