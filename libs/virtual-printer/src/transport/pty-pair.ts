import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Two connected pseudo-terminals made by socat:
 *   socat -d -d pty,raw,echo=0,link=A pty,raw,echo=0,link=B
 * Bytes written to one end come out of the other. A pseudo-terminal ignores
 * the baud rate; the virtual printer paces bytes itself.
 */
export interface PtyPair {
  /** Path of the first end (by convention the host's). */
  readonly a: string;
  /** Path of the second end (by convention the printer's). */
  readonly b: string;
  readonly pid: number | undefined;
  /** Resolves when socat has exited (closed, killed, or crashed). */
  readonly exited: Promise<void>;
  /** Stops socat (the pair disappears: the other side sees the device vanish) and removes the links. */
  close(): Promise<void>;
}

export interface PtyPairOptions {
  a?: string;
  b?: string;
  timeoutMs?: number;
}

export class PtyPairError extends Error {
  readonly code = 'PTY_PAIR_FAILED';
  constructor(message: string) {
    super(message);
    this.name = 'PtyPairError';
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

export async function openPtyPair(options: PtyPairOptions = {}): Promise<PtyPair> {
  const dir = options.a && options.b ? undefined : await mkdtemp(join(tmpdir(), 'vp-pty-'));
  const a = options.a ?? join(dir ?? tmpdir(), 'host');
  const b = options.b ?? join(dir ?? tmpdir(), 'printer');
  const child: ChildProcess = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  let transferStarted = false;
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    if (log.length < 4000) log += chunk;
    if (chunk.includes('starting data transfer loop') || log.includes('starting data transfer loop')) transferStarted = true;
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const cleanup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(a, { force: true });
    await rm(b, { force: true });
    if (dir) await rm(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    if (spawnError) {
      await cleanup();
      throw new PtyPairError(`cannot run socat: ${spawnError.message}`);
    }
    if (child.exitCode !== null) {
      await cleanup();
      throw new PtyPairError(`socat exited (${child.exitCode}): ${log.trim()}`);
    }
    if (transferStarted && (await exists(a)) && (await exists(b))) break;
    if (Date.now() > deadline) {
      await cleanup();
      throw new PtyPairError(`socat did not create ${a} and ${b} in time: ${log.trim()}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  let closing: Promise<void> | undefined;
  return {
    a,
    b,
    pid: child.pid,
    exited,
    close: () => (closing ??= cleanup()),
  };
}
