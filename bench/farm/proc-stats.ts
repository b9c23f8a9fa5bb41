// CPU time and memory of a process from /proc (Linux), read from outside so
// the process measured does nothing extra.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return clockTicks;
}

/** User + system CPU seconds the process has used so far; undefined when it is gone. */
export function cpuSeconds(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start at state, field 3; utime and stime are 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return undefined;
  }
}

export interface Memory {
  /** Resident set now, MB. */
  rssMb: number;
  /** Peak resident set, MB. */
  peakRssMb: number;
}

export function memoryOf(pid: number): Memory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

/** CPU use of a process over an interval, as % of one core. */
export class CpuMeter {
  readonly #pid: number;
  #startCpu = 0;
  #startWall = 0;

  constructor(pid: number) {
    this.#pid = pid;
  }

  start(): void {
    this.#startCpu = cpuSeconds(this.#pid) ?? Number.NaN;
    this.#startWall = performance.now();
  }

  percent(): number {
    const cpu = cpuSeconds(this.#pid) ?? Number.NaN;
    const wallSeconds = (performance.now() - this.#startWall) / 1000;
    return (100 * (cpu - this.#startCpu)) / wallSeconds;
  }
}

/** Busy share of the whole machine over an interval, from /proc/stat (100 % = every core busy). */
export class MachineCpuMeter {
  #start = MachineCpuMeter.#read();

  start(): void {
    this.#start = MachineCpuMeter.#read();
  }

  percent(): number {
    const now = MachineCpuMeter.#read();
    const total = now.total - this.#start.total;
    return total > 0 ? (100 * (now.busy - this.#start.busy)) / total : Number.NaN;
  }

  static #read(): { busy: number; total: number } {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    // idle and iowait are the 4th and 5th values.
    return { busy: total - (values[3] ?? 0) - (values[4] ?? 0), total };
  }
}
