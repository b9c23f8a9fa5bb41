// The children the launcher started, in start order. Stopping goes in reverse,
// one at a time: the apps first (they still flush to Postgres and Redis while
// they shut down), then Redis, then Postgres.
import type { ManagedProcess, ProcessExit } from './managed-process.js';

export class ProcessSet {
  private readonly started: ManagedProcess[] = [];

  add(proc: ManagedProcess): void {
    this.started.push(proc);
  }

  /** The names in the order they will be stopped. */
  stopOrder(): string[] {
    return [...this.started].reverse().map((proc) => proc.name);
  }

  /** The first child to exit on its own (never resolves while none has). */
  firstExit(): Promise<{ name: string; exit: ProcessExit }> {
    return Promise.race(this.started.map((proc) => proc.exited.then((exit) => ({ name: proc.name, exit }))));
  }

  async stopAll(log: (line: string) => void): Promise<void> {
    for (const proc of [...this.started].reverse()) {
      if (!proc.isRunning()) continue;
      log(`stopping ${proc.name}`);
      await proc.stop();
    }
  }

  /** Synchronous last resort when the launcher itself is exiting abruptly. */
  killAllNow(): void {
    for (const proc of this.started) proc.killNow();
  }
}
