import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseChildStatsLine, type ChildPrinterStats } from '@farm/virtual-printer';

/**
 * A virtual printer in its own process (the CLI), so its timers and the
 * host's event loop don't take turns on one thread, and the suite uses both
 * cores. The executed commands come back through the record file and the
 * counters through the `VP_STATS` line printed on SIGTERM.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(REPO_ROOT, 'libs/virtual-printer/src/cli.ts');

export interface VpProcess {
  /** The pseudo-terminal path (or tcp://…) the host opens. */
  address: string;
  /** Stops the printer; resolves with its executed commands and stats. */
  stop(): Promise<{ executed: string[]; stats: ChildPrinterStats }>;
  /** Kills it without collecting anything (cleanup after a failure). */
  kill(): Promise<void>;
}

export async function startVpProcess(args: readonly string[], options: { tcpPort?: number } = {}): Promise<VpProcess> {
  const dir = await mkdtemp(join(tmpdir(), 'farm-e2e-'));
  const link = join(dir, 'printer');
  const record = join(dir, 'executed.txt');
  const where = options.tcpPort !== undefined ? ['--tcp', String(options.tcpPort)] : ['--link', link];
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...where, '--record', record, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const lines = createInterface({ input: child.stdout });
  let stats: ChildPrinterStats | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const address = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      if (line.startsWith('VP_READY ')) resolve((JSON.parse(line.slice('VP_READY '.length)) as { address: string }).address);
      stats = parseChildStatsLine(line) ?? stats;
    });
    void exited.then((code) => reject(new Error(`virtual printer exited (${code}) before it was ready: ${stderr}`)));
  });

  const cleanup = () => rm(dir, { recursive: true, force: true });
  return {
    address,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      if (!stats) throw new Error(`virtual printer gave no stats: ${stderr}`);
      const text = await readFile(record, 'utf8').catch(() => '');
      await cleanup();
      return { executed: text === '' ? [] : text.replace(/\n$/, '').split('\n'), stats };
    },
    async kill() {
      if (child.exitCode === null) {
        // SIGTERM first: the printer closes its socat pair. A SIGKILL alone would leave socat running, orphaned.
        child.kill('SIGTERM');
        const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 3_000))]);
        if (!stopped) {
          const socats = childPids(child.pid!);
          child.kill('SIGKILL');
          await exited;
          for (const pid of socats) killQuietly(pid);
        }
      }
      await cleanup();
    },
  };
}


/** The direct children of a process (Linux /proc), for cleaning up after a SIGKILL. */
function childPids(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) =>
      readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
