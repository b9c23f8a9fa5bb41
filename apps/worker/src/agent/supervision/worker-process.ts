// Starting one port worker as a child process. The command comes from config
// as an argument array (never a shell string); the printer id and spec are
// substituted into arguments the command template names, never parsed by a shell.
import { spawn } from 'node:child_process';

export type ChildHandle = {
  readonly pid: number | undefined;
  kill(signal: NodeJS.Signals): void;
  onExit(listener: (code: number | null, signal: NodeJS.Signals | null) => void): void;
};

export type SpawnWorker = (printerId: string, spec: string) => ChildHandle;

export type WorkerCommand = {
  readonly file: string;
  /** `{printerId}` and `{spec}` in an argument are replaced by the printer's id and its worker spec (the device path). */
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /**
   * Give the child a stdin pipe that nobody writes to: when the agent dies
   * (even by SIGKILL) the pipe closes, and a child that watches its stdin
   * (runtime/exit-with-parent.ts, preloaded with `--import`) stops itself.
   */
  readonly exitWithParent?: boolean;
  /** Discard the child's stdout (the virtual printer CLI prints machine-readable lines there). */
  readonly quietStdout?: boolean;
};

export function processSpawner(command: WorkerCommand): SpawnWorker {
  return (printerId, spec) => {
    const args = command.args.map((a) => a.replaceAll('{printerId}', printerId).replaceAll('{spec}', spec));
    const child = spawn(command.file, args, {
      env: command.env,
      cwd: command.cwd,
      stdio: [command.exitWithParent === true ? 'pipe' : 'ignore', command.quietStdout === true ? 'ignore' : 'inherit', 'inherit'],
      shell: false,
    });
    child.stdin?.on('error', () => undefined); // never written to; a dead child's EPIPE is not news
    let exited = false;
    const listeners: Array<(code: number | null, signal: NodeJS.Signals | null) => void> = [];
    const report = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (exited) return;
      exited = true;
      for (const l of listeners) l(code, signal);
    };
    child.on('exit', report);
    // A spawn failure (missing executable) emits 'error' and possibly no 'exit'.
    child.on('error', () => report(null, null));
    return {
      pid: child.pid,
      kill: (signal) => {
        if (!exited) child.kill(signal);
      },
      onExit: (listener) => listeners.push(listener),
    };
  };
}
