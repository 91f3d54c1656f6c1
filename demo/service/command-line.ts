import { parseArgs } from 'node:util';
import type { DemoServiceOptions } from './create-service.js';

export interface ServeSettings {
  readonly service: DemoServiceOptions;
  readonly port: number;
  readonly host: string;
}

/**
 * The service's flags: `--inline` (no pool), `--fleet redis://…` (the work
 * goes to the BullMQ fleet, see demo/fleet/node.ts), `--port` (default 3000,
 * 0 for any), `--host` (default 127.0.0.1), `--threads`, `--max-queue`,
 * `--log`. Other flags are left for the caller.
 */
export function parseServeFlags(argv: readonly string[]): ServeSettings {
  const { values } = parseArgs({
    args: [...argv],
    strict: false,
    options: {
      inline: { type: 'boolean', default: false },
      port: { type: 'string', default: '3000' },
      host: { type: 'string', default: '127.0.0.1' },
      threads: { type: 'string' },
      'max-queue': { type: 'string' },
      log: { type: 'boolean', default: false },
      fleet: { type: 'string' },
    },
  });
  const integer = (name: string, value: string | boolean | undefined): number | undefined => {
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (typeof value !== 'string' || !Number.isInteger(parsed) || parsed < 0) throw new Error(`Expected \`--${name}\` to be an integer >= 0, got \`${String(value)}\``);
    return parsed;
  };
  const threads = integer('threads', values.threads);
  const maxQueue = integer('max-queue', values['max-queue']);
  return {
    service: {
      mode: typeof values.fleet === 'string' ? 'fleet' : values.inline === true ? 'inline' : 'pooled',
      ...(typeof values.fleet === 'string' ? { fleetUrl: values.fleet } : {}),
      logger: values.log === true,
      ...(threads === undefined ? {} : { threads }),
      ...(maxQueue === undefined ? {} : { maxQueue }),
    },
    port: integer('port', values.port) ?? 3000,
    host: typeof values.host === 'string' ? values.host : '127.0.0.1',
  };
}
