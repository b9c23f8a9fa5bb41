// The bench's child processes (manager, host agent, virtual printers): each
// started directly with node (no npm/npx in between, so the pid is the real
// process and signals reach it), its output kept for a failure report, and
// all stopped in reverse start order at the end, even after a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  tail(): string;
  /** Calls `listener` with every later stdout line. */
  onLine(listener: (line: string) => void): void;
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  name: string;
  file: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Keep a stdin pipe open (to write to it, or so the child can notice the bench is gone). */
  stdin?: boolean;
  /** Open an IPC channel (child.send / process.send). */
  ipc?: boolean;
}

export class ProcessSet {
  readonly #running: BenchProcess[] = [];

  start(options: StartOptions): BenchProcess {
    const child = spawn(options.file, [...options.args], {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe', ...(options.ipc ? (['ipc'] as const) : [])],
    });
    if (child.pid === undefined) throw new Error(`could not start ${options.name}`);
    let tail = '';
    const listeners: ((line: string) => void)[] = [];
    const keep = (line: string) => (tail = `${tail}${line}\n`.slice(-8000));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      keep(line);
      for (const listener of listeners) listener(line);
    });
    createInterface({ input: child.stderr! }).on('line', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const proc: BenchProcess = {
      name: options.name,
      pid: child.pid,
      child,
      tail: () => tail,
      onLine: (listener) => listeners.push(listener),
      exited,
      async stop(graceMs = 15_000) {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      },
    };
    this.#running.push(proc);
    return proc;
  }

  running(): readonly BenchProcess[] {
    return this.#running;
  }

  /** Stops every process still running, last started first. */
  async stopAll(): Promise<void> {
    while (this.#running.length > 0) {
      const proc = this.#running.pop()!;
      await proc.stop();
    }
  }

  /** Last resort on exit: SIGKILL whatever is left, synchronously. */
  killAllNow(): void {
    for (const proc of this.#running) if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill('SIGKILL');
  }
}

/** Resolves with the first stdout line matching `pattern`, or rejects when the process exits first or time runs out. */
export function waitForLine(proc: BenchProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${proc.name}: no line matching ${pattern} within ${timeoutMs} ms\n${proc.tail()}`)), timeoutMs);
    proc.onLine((line) => {
      const match = pattern.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    void proc.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${proc.name} exited (${code}) before printing ${pattern}\n${proc.tail()}`));
    });
  });
}
