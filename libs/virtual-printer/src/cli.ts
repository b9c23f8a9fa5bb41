/**
 * `npm run virtual-printer -- --link /tmp/printer [options]`: runs one or more
 * virtual printers until SIGINT/SIGTERM, then reports each one. For
 * timing-sensitive benchmarks run it as a child process (its timers then
 * do not compete with the host's event loop) and read the `VP_STATS` lines.
 */
import { CliUsageError, parseCli, USAGE } from './cli/parse-args.js';
import { createInterface } from 'node:readline';
import { epochOf, formatChildEventLine } from './runtime/child-events.js';
import { formatChildStatsLine } from './runtime/child-stats.js';
import type { VirtualPrinter } from './runtime/virtual-printer.js';
import { startVirtualPrinter } from './runtime/virtual-printer.js';
import { FaultSpecError } from './faults/fault-spec.js';
import type { HaltCause } from './firmware/replies/index.js';

async function main(): Promise<number> {
  let plan;
  try {
    plan = parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliUsageError || error instanceof FaultSpecError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
  if (plan === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const printers: VirtualPrinter[] = [];
  for (const [index, options] of plan.printers.entries()) {
    const onHalt = (cause: HaltCause, at: number) =>
      process.stdout.write(`${formatChildEventLine({ printer: index, type: 'halted', cause, at: epochOf(at, performance.now(), Date.now()) })}\n`);
    const printer = await startVirtualPrinter(plan.events ? { ...options, onHalt } : options);
    printers.push(printer);
    process.stdout.write(`VP_READY ${JSON.stringify({ name: printer.name, address: printer.address })}\n`);
  }
  process.stderr.write(`virtual printer${printers.length > 1 ? 's' : ''} ready: ${printers.map((p) => p.address).join(', ')}\n`);

  // SIGUSR2 resets every printer, as a host reopening the port resets an AVR board (pseudo-terminals cannot tell).
  process.on('SIGUSR2', () => {
    for (const printer of printers) printer.reset();
  });

  // --events: "reset <i>" power-cycles one printer (after an M112 a Marlin board stays silent until then).
  if (plan.events) {
    createInterface({ input: process.stdin }).on('line', (line) => {
      const index = /^reset (\d+)$/.exec(line.trim())?.[1];
      if (index !== undefined) printers[Number(index)]?.reset();
    });
  }

  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });

  for (const [i, printer] of printers.entries()) {
    const recordFile = plan.recordFiles[i];
    const stats = printer.stats();
    if (recordFile) await printer.writeRecord(recordFile);
    await printer.close();
    const c = stats.counters;
    process.stderr.write(
      `${printer.name}: ${c.commandsExecuted} commands executed, underrun ${stats.underrun.totalMs.toFixed(1)} ms ` +
        `(${stats.underrun.episodes}x), ${c.checksumErrors} checksum / ${c.lineNumberErrors} line-number errors, ` +
        `${c.resendsRequested} resends, ${c.bytesDroppedOverflow} bytes dropped, state ${stats.state}, ` +
        `simulator timer ${stats.simulator.lateWakes}/${stats.simulator.wakes} wakes late (worst ${stats.simulator.maxLateMs.toFixed(1)} ms)\n`,
    );
    process.stdout.write(`${formatChildStatsLine({ ...stats, name: printer.name, address: printer.address, recordFile })}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`virtual printer failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
