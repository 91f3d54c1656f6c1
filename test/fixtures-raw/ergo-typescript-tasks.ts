// A task module in raw TypeScript, loaded as is (never compiled): through
// Node's type stripping on Node >= 22.18, through tsx on older Node. Only
// erasable syntax, as type stripping requires.
import type { TaskContext } from 'spindle/worker';

interface Greeting {
  readonly name: string;
  readonly excited?: boolean;
}

export function greet(greeting: Greeting, context: TaskContext): { text: string; threadId: number; node: string; moduleUrl: string } {
  const text: string = `Hello, ${greeting.name}${greeting.excited === true ? '!' : '.'}`;
  // tsx marks the modules it loads with a query in their URL; Node's type stripping does not.
  return { text, threadId: context.threadId, node: process.version, moduleUrl: import.meta.url };
}

export const square = (value: number): number => value * value;
