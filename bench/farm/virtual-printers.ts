// The farm's printers: one virtual-printer CLI process serving N printers on
// pseudo-terminals, started with `--events` so it reports the moment each
// printer's emergency parser takes an M112 off the wire, and resets one
// printer when told on stdin (a power cycle: a halted Marlin stays silent
// until then, and a pseudo-terminal cannot see the host reopen it).
import { join } from 'node:path';
import { parseChildEventLine, parseChildStatsLine, type ChildPrinterEvent, type ChildPrinterStats } from '@farm/virtual-printer';
import type { BenchProcess, ProcessSet } from './processes.js';

export interface VirtualPrinters {
  readonly process: BenchProcess;
  /** Device paths, by printer index. */
  readonly paths: readonly string[];
  /** The next halt of printer `index` after this call (`at`: epoch ms of the moment on the wire). */
  nextHalt(index: number, timeoutMs: number): Promise<ChildPrinterEvent>;
  reset(index: number): void;
  /** Stops the process; resolves with each printer's final stats, by index. */
  stop(): Promise<(ChildPrinterStats | undefined)[]>;
}

export async function startVirtualPrinters(
  processes: ProcessSet,
  options: { repoRoot: string; exitWithParent: string; dir: string; count: number; args: readonly string[] },
): Promise<VirtualPrinters> {
  const prefix = join(options.dir, 'printer-');
  const proc = processes.start({
    name: 'virtual printers',
    file: process.execPath,
    args: ['--import', 'tsx', '--import', options.exitWithParent, join(options.repoRoot, 'libs/virtual-printer/src/cli.ts'), '--count', String(options.count), '--link-prefix', prefix, '--events', ...options.args],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' },
    cwd: options.repoRoot,
    stdin: true,
  });
  const waiters = new Set<{ index: number; resolve: (event: ChildPrinterEvent) => void }>();
  const stats: (ChildPrinterStats | undefined)[] = [];
  const paths = Array.from({ length: options.count }, (_, i) => `${prefix}${i}`);
  proc.onLine((line) => {
    const event = parseChildEventLine(line);
    if (event) {
      for (const waiter of waiters) {
        if (waiter.index !== event.printer) continue;
        waiters.delete(waiter);
        waiter.resolve(event);
      }
      return;
    }
    const stat = parseChildStatsLine(line);
    if (stat) stats[paths.indexOf(stat.address)] = stat;
  });
  await new Promise<void>((resolve, reject) => {
    let ready = 0;
    const timer = setTimeout(() => reject(new Error(`virtual printers: ${ready}/${options.count} ready after 60 s\n${proc.tail()}`)), 60_000);
    proc.onLine((line) => {
      if (!line.startsWith('VP_READY ')) return;
      ready++;
      if (ready === options.count) {
        clearTimeout(timer);
        resolve();
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`virtual printers exited (${code})\n${proc.tail()}`));
    });
  });
  return {
    process: proc,
    paths,
    nextHalt(index, timeoutMs) {
      return new Promise((resolve, reject) => {
        const waiter = {
          index,
          resolve: (event: ChildPrinterEvent) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`printer ${index}: no halt within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    reset(index) {
      proc.child.stdin?.write(`reset ${index}\n`);
    },
    async stop() {
      await proc.stop();
      return paths.map((_, i) => stats[i]);
    },
  };
}
