import { parseArgs } from 'node:util';
import type { CpuProfile, Flavor } from '../config/printer-config.js';
import { parseFaultSpec } from '../faults/fault-spec.js';
import type { VirtualPrinterOptions } from '../runtime/virtual-printer.js';

export const USAGE = `Usage: npm run virtual-printer -- [options]

Where the host connects (one printer per --link/--tcp; several allowed):
  --link PATH            pseudo-terminal path the host opens (made with socat)
  --tcp PORT             serve over TCP instead (network serial bridge)
  --count N              N printers: with --link-prefix P at P0..P(N-1), or with --tcp at PORT..PORT+N-1
  --link-prefix P
Printer:
  --flavor marlin|prusa|rrf|klipper   (default marlin)
  --profile avr|32bit    per-line firmware time (avr: 6.3 ms per G1, as measured)
  --baud N               wire speed, 10 bits per byte (default 250000; 0 = unpaced)
  --latency-ms N         USB latency on replies (default 16, FTDI; 1 = low-latency)
  --host-latency-ms N    latency on host bytes (default 0)
  --advanced-ok          ok N<n> P<planner free> B<queue free>
  --emergency-parser     M108/M112/M410/M876 act on arrival
  --no-ok-after-resend   send no ok after Resend (older Marlin builds, Prusa 3.1.0)
  --rx-buffer N          receive buffer bytes (default 128)
  --boot-ms N            bootloader time after a reset (default 300)
  --announce-after-ms N  greet N ms after start (pty) or after a TCP connection without waiting
                         for the host to speak (TCP default 200; pty default: only when the host speaks)
  --time-scale X         run the printer X times faster (default 1)
  --faults SPEC          e.g. corrupt=0.01,lost-ok=0.005,reset@line=500 (kinds: corrupt lost-ok
                         dup-ok garbage busy reset disconnect thermal-runaway halt runout; seed=N)
  --record FILE          write executed commands on exit ({i} or -i suffix per printer)
  --no-executed          do not keep the executed list (long benchmarks)
  --events               print "VP_EVENT {json}" when a printer halts (M112: the moment it arrived), and
                         reset printer i on a stdin line "reset <i>" (benchmarks)

On SIGINT/SIGTERM each printer prints a summary to stderr and one line
"VP_STATS {json}" to stdout. "VP_READY {json}" is printed per printer at start.
SIGUSR2 resets every printer (what reopening the port does to an AVR board).`;

export interface CliPlan {
  printers: VirtualPrinterOptions[];
  recordFiles: (string | undefined)[];
  /** `--events`: report halts on stdout, take `reset <i>` on stdin. */
  events: boolean;
}

export class CliUsageError extends Error {
  readonly code = 'CLI_USAGE';
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new CliUsageError(`--${name} needs a non-negative number, got "${value}"`);
  return n;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T | undefined {
  if (value === undefined) return undefined;
  const found = allowed.find((a) => a === value);
  if (!found) throw new CliUsageError(`--${name} must be one of ${allowed.join(', ')}`);
  return found;
}

function recordPath(template: string | undefined, index: number, count: number): string | undefined {
  if (template === undefined) return undefined;
  if (template.includes('{i}')) return template.replaceAll('{i}', String(index));
  if (count === 1) return template;
  const dot = template.lastIndexOf('.');
  return dot > template.lastIndexOf('/') ? `${template.slice(0, dot)}-${index}${template.slice(dot)}` : `${template}-${index}`;
}

export function parseCli(argv: string[]): CliPlan | 'help' {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      link: { type: 'string', multiple: true },
      tcp: { type: 'string', multiple: true },
      count: { type: 'string' },
      'link-prefix': { type: 'string' },
      flavor: { type: 'string' },
      profile: { type: 'string' },
      baud: { type: 'string' },
      'latency-ms': { type: 'string' },
      'host-latency-ms': { type: 'string' },
      'advanced-ok': { type: 'boolean' },
      'emergency-parser': { type: 'boolean' },
      'no-ok-after-resend': { type: 'boolean' },
      'rx-buffer': { type: 'string' },
      'boot-ms': { type: 'string' },
      'announce-after-ms': { type: 'string' },
      'time-scale': { type: 'string' },
      faults: { type: 'string' },
      record: { type: 'string' },
      'no-executed': { type: 'boolean' },
      events: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const timeScale = numberOption(values['time-scale'], 'time-scale');
  if (timeScale === 0) throw new CliUsageError('--time-scale must be > 0');
  const base: VirtualPrinterOptions = {
    flavor: oneOf<Flavor>(values.flavor, ['marlin', 'prusa', 'rrf', 'klipper'], 'flavor'),
    profile: oneOf<CpuProfile>(values.profile, ['avr', '32bit'], 'profile'),
    baud: numberOption(values.baud, 'baud'),
    latencyMs: numberOption(values['latency-ms'], 'latency-ms'),
    hostLatencyMs: numberOption(values['host-latency-ms'], 'host-latency-ms'),
    advancedOk: values['advanced-ok'],
    emergencyParser: values['emergency-parser'],
    okAfterResend: values['no-ok-after-resend'] ? false : undefined,
    rxBufferSize: numberOption(values['rx-buffer'], 'rx-buffer'),
    bootMs: numberOption(values['boot-ms'], 'boot-ms'),
    announceAfterMs: numberOption(values['announce-after-ms'], 'announce-after-ms'),
    timeScale,
    faults: values.faults === undefined ? undefined : parseFaultSpec(values.faults),
    recordExecuted: values['no-executed'] ? false : true,
  };
  const count = numberOption(values.count, 'count');
  const targets: Pick<VirtualPrinterOptions, 'link' | 'tcpPort'>[] = [];
  for (const link of values.link ?? []) targets.push({ link });
  for (const tcp of values.tcp ?? []) {
    const port = numberOption(tcp, 'tcp') ?? 0;
    if (count !== undefined && (values.tcp ?? []).length === 1) {
      for (let i = 0; i < count; i++) targets.push({ tcpPort: port === 0 ? 0 : port + i });
    } else targets.push({ tcpPort: port });
  }
  if (values['link-prefix'] !== undefined) {
    for (let i = 0; i < (count ?? 1); i++) targets.push({ link: `${values['link-prefix']}${i}` });
  }
  if (targets.length === 0) throw new CliUsageError('give --link PATH, --tcp PORT or --count N --link-prefix P');
  return {
    printers: targets.map((target) => ({ ...base, ...target })),
    recordFiles: targets.map((_, i) => recordPath(values.record, i, targets.length)),
    events: values.events === true,
  };
}
