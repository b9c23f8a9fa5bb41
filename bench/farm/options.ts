// Command-line options of `npm run bench:farm`.
import { parseArgs } from 'node:util';

export interface BenchOptions {
  printers: number;
  clients: number;
  /** Length of each measurement window (idle, then streaming). */
  seconds: number;
  /** Emergency stops sampled with the farm idle, then while it streams. */
  idleStops: number;
  streamingStops: number;
  /** Lines of the file each printer streams (it restarts when done). */
  gcodeLines: number;
}

export const USAGE = `npm run bench:farm -- [--printers N] [--clients N] [--seconds N] [--stops N] [--quick]
  --printers N   virtual printers, one port worker each (default 32)
  --clients N    WebSocket dashboard clients (default 50)
  --seconds N    length of the idle and of the streaming measurement window (default 60)
  --stops N      emergency stops sampled while streaming (default 2 per printer; half as many idle; 0 = none)
  --quick        a small smoke run: 4 printers, 5 clients, 10 s, 8 stops`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      printers: { type: 'string' },
      clients: { type: 'string' },
      seconds: { type: 'string' },
      stops: { type: 'string' },
      quick: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick === true;
  const printers = count(values.printers, 'printers', quick ? 4 : 32);
  const streamingStops = count(values.stops, 'stops', quick ? 8 : 2 * printers, 0);
  return {
    printers,
    clients: count(values.clients, 'clients', quick ? 5 : 50),
    seconds: count(values.seconds, 'seconds', quick ? 10 : 60),
    idleStops: Math.ceil(streamingStops / 2),
    streamingStops,
    gcodeLines: quick ? 5_000 : 40_000,
  };
}

function count(value: string | undefined, name: string, fallback: number, least = 1): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new Error(`--${name} needs a whole number ≥ ${least}, got "${value}"`);
  return n;
}
