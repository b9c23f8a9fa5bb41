// One child process the launcher owns: started in its own process group (so a
// Ctrl-C in the terminal reaches only the launcher, which then stops children
// in order), its output relayed line by line with a name prefix, and stopped
// with a signal that escalates to SIGKILL after a grace period.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface ManagedProcessSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Signal asking for a clean shutdown (Postgres: SIGINT = fast shutdown). */
  stopSignal: NodeJS.Signals;
  /** How long a clean shutdown may take before the whole group is SIGKILLed. */
  stopGraceMs: number;
  /** `inherit` hands the terminal to the child untouched (colours, pretty logs). */
  output: 'prefixed' | 'inherit';
  /** Run as this user (Postgres refuses to run as root). */
  uid?: number;
  gid?: number;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly exited: Promise<ProcessExit>;
  isRunning(): boolean;
  /** Resolves once the process is gone; SIGKILLs its whole group after the grace period. */
  stop(): Promise<ProcessExit>;
  /** Last-resort synchronous kill of the whole group (used from process 'exit'). */
  killNow(): void;
}

export function startManagedProcess(spec: ManagedProcessSpec): Promise<ManagedProcess> {
  const stdio: StdioOptions = spec.output === 'inherit' ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'];
  const child: ChildProcess = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env,
    stdio,
    detached: true,
    ...(spec.uid === undefined ? {} : { uid: spec.uid }),
    ...(spec.gid === undefined ? {} : { gid: spec.gid }),
  });
  if (spec.output === 'prefixed') {
    relay(child.stdout, process.stdout, spec.name);
    relay(child.stderr, process.stderr, spec.name);
  }
  let running = true;
  const exited = new Promise<ProcessExit>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });

  return new Promise((resolve, reject) => {
    child.once('error', (err) => {
      running = false;
      reject(new Error(`could not start ${spec.name} (${spec.command}): ${err.message}`, { cause: err }));
    });
    child.once('spawn', () => {
      const pid = child.pid;
      if (pid === undefined) {
        reject(new Error(`could not start ${spec.name}: no process id`));
        return;
      }
      resolve({
        name: spec.name,
        pid,
        exited,
        isRunning: () => running,
        stop: async () => {
          if (!running) return exited;
          signal(pid, spec.stopSignal);
          const timer = setTimeout(() => signalGroup(pid, 'SIGKILL'), spec.stopGraceMs);
          try {
            return await exited;
          } finally {
            clearTimeout(timer);
          }
        },
        killNow: () => {
          if (running) signalGroup(pid, 'SIGKILL');
        },
      });
    });
  });
}

function relay(from: NodeJS.ReadableStream | null, to: NodeJS.WritableStream, name: string): void {
  if (!from) return;
  const lines = createInterface({ input: from, crlfDelay: Infinity });
  lines.on('line', (line) => {
    to.write(`${name} | ${line}\n`);
  });
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function signalGroup(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pid, sig);
  } catch {
    signal(pid, sig);
  }
}
