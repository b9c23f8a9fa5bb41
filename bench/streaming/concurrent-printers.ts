// Many printers streaming at once on this machine: N port workers (print.mjs,
// one process each, as the farm runs them) against N virtual printers served
// by one simulator process at raised priority (it stands in for hardware). Reports what the farm target asks
// (underrun, CPU, memory per port worker) and what tells the host's share
// from the simulator's: how late the simulator's timers woke.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseChildStatsLine, type ChildPrinterStats } from '@farm/virtual-printer';
import { cpuSeconds, MachineCpuMeter } from '../farm/proc-stats.js';
import { raiseSimulatorPriority } from '../support/simulator-priority.js';

export interface FarmFile {
  name: string;
  path: string;
  lines: number;
}

/** The printers' board: firmware timing, receive buffer, and the host window that fits it. */
export interface Board {
  name: string;
  profile: 'avr' | '32bit';
  rxBufferBytes: number;
}

export const BOARDS = {
  '32bit': { name: '32-bit, 512 B buffer', profile: '32bit', rxBufferBytes: 512 },
  avr: { name: 'AVR, 128 B buffer', profile: 'avr', rxBufferBytes: 128 },
  /** Marlin on AVR built with RX_BUFFER_SIZE 512: the same firmware timing, more room in flight. */
  avrBigBuffer: { name: 'AVR, 512 B buffer', profile: 'avr', rxBufferBytes: 512 },
} satisfies Record<string, Board>;

/** How the port workers read and write the device: on the event loop (default) or through libuv's thread pool (serialport's stock way). */
export type HostIo = 'direct' | 'thread-pool';

export interface FarmSettings {
  /** Bundled print CLI and virtual-printer CLI. */
  printScript: string;
  vpScript: string;
  dir: string;
}

interface WorkerSummary {
  linesPerSecond: number;
  cpuSeconds: number;
  maxRssMb: number;
  result: string;
}

export interface FarmResult {
  count: number;
  file: FarmFile;
  board: Board;
  io: HostIo;
  /** Set when the simulator ran at normal priority. */
  priorityNote: string | undefined;
  workers: WorkerSummary[];
  /** Stats of the printers that reported (missing ones are counted in `lost`). */
  printers: ChildPrinterStats[];
  lost: number;
  wallSeconds: number;
  machineCpuPercent: number;
  simulatorCpuPercent: number;
}

// The wire every run uses: the printer paces it, the host states the same baud rate.
const BAUD = '250000';
const LATENCY_MS = '16';

export async function concurrentPrinters(count: number, file: FarmFile, board: Board, io: HostIo, settings: FarmSettings): Promise<FarmResult> {
  const group = await startPrinterGroup(count, board, settings);
  const priorityNote = raiseSimulatorPriority(group.pid);
  const machine = new MachineCpuMeter();
  const simulatorCpuStart = cpuSeconds(group.pid) ?? Number.NaN;
  const started = Date.now();
  const workers = await Promise.all(group.addresses.map((address) => printWith(settings.printScript, address, board, io, file.path)));
  const wallSeconds = (Date.now() - started) / 1000;
  const machineCpuPercent = machine.percent();
  const simulatorCpuPercent = (100 * ((cpuSeconds(group.pid) ?? Number.NaN) - simulatorCpuStart)) / wallSeconds;
  const printers = await group.stop();
  return { count, file, board, io, priorityNote, workers, printers, lost: count - printers.length, wallSeconds, machineCpuPercent, simulatorCpuPercent };
}

function printWith(script: string, address: string, board: Board, io: HostIo, path: string): Promise<WorkerSummary> {
  return new Promise((resolve) => {
    const window = String(board.rxBufferBytes - 1);
    const args = [script, '--port', address, '--baud', BAUD, '--flow', 'window', '--rx-buffer', window, '--boot-wait', '500', '--json', '--quiet', ...(io === 'thread-pool' ? ['--thread-pool-io'] : []), path];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('exit', () => {
      const summary = JSON.parse(stdout.trim() || '{}') as Partial<WorkerSummary>;
      resolve({ linesPerSecond: summary.linesPerSecond ?? 0, cpuSeconds: summary.cpuSeconds ?? 0, maxRssMb: summary.maxRssMb ?? 0, result: summary.result ?? 'crashed' });
    });
  });
}

interface PrinterGroup {
  pid: number;
  addresses: string[];
  stop(): Promise<ChildPrinterStats[]>;
}

async function startPrinterGroup(count: number, board: Board, settings: FarmSettings): Promise<PrinterGroup> {
  const args = ['--count', String(count), '--link-prefix', join(settings.dir, 'farm-'), '--baud', BAUD, '--latency-ms', LATENCY_MS, '--profile', board.profile, '--rx-buffer', String(board.rxBufferBytes), '--advanced-ok', '--no-executed'];
  const child = spawn(process.execPath, [settings.vpScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const addresses: string[] = [];
  const stats: ChildPrinterStats[] = [];
  await new Promise<void>((resolve, reject) => {
    void exited.then(() => reject(new Error(`virtual printers exited before they were ready: ${stderr.trim()}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('VP_READY ')) {
        addresses.push((JSON.parse(line.slice(9)) as { address: string }).address);
        if (addresses.length === count) resolve();
      }
      const stat = parseChildStatsLine(line);
      if (stat) stats.push(stat);
    });
  });
  return {
    pid: child.pid!,
    addresses,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (stats.length < count) process.stderr.write(`${count - stats.length} printers gave no stats: ${stderr.trim().slice(-500)}\n`);
      return stats;
    },
  };
}

// ── table ────────────────────────────────────────────────────────────────

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const max = (values: number[]) => Math.max(...values);
const min = (values: number[]) => Math.min(...values);

export function farmTableHeader(): string {
  return [
    '| file | board (host window) | host I/O | printers | completed | lines/s per printer (mean / min) | planner underrun ms per printer (mean / max) | printers with underrun | simulator timer wakes > 5 ms late (worst ms) | CPU s per port worker (mean / max) | port worker CPU, % of a core | max RSS MB per port worker (mean / max) | simulator process CPU, % of a core | machine CPU % (2 cores) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ].join('\n');
}

export function farmRow(farm: FarmResult): string {
  const underruns = farm.printers.map((printer) => printer.underrun.totalMs);
  const completed = farm.workers.filter((worker) => worker.result === 'completed').length;
  const lateWakes = farm.printers.reduce((sum, printer) => sum + printer.simulator.lateWakes, 0);
  const worstLate = max(farm.printers.map((printer) => printer.simulator.maxLateMs));
  const cpu = farm.workers.map((worker) => worker.cpuSeconds);
  const rss = farm.workers.map((worker) => worker.maxRssMb);
  const rates = farm.workers.map((worker) => worker.linesPerSecond);
  const notes = [farm.lost > 0 ? `${farm.lost} printers gave no stats` : '', farm.priorityNote ?? ''].filter((note) => note !== '');
  const lost = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return `| ${farm.file.name} (${farm.file.lines} lines) | ${farm.board.name} (${farm.board.rxBufferBytes - 1} B) | ${farm.io} | ${farm.count} | ${completed}/${farm.count}${lost} | ${mean(rates).toFixed(1)} / ${min(rates).toFixed(1)} | ${mean(underruns).toFixed(0)} / ${max(underruns).toFixed(0)} | ${underruns.filter((ms) => ms > 0).length} | ${lateWakes} (${worstLate.toFixed(0)}) | ${mean(cpu).toFixed(2)} / ${max(cpu).toFixed(2)} | ${((100 * mean(cpu)) / farm.wallSeconds).toFixed(1)} | ${mean(rss).toFixed(0)} / ${max(rss).toFixed(0)} | ${farm.simulatorCpuPercent.toFixed(0)} | ${farm.machineCpuPercent.toFixed(0)} |`;
}
