// The CLI's --events over a real pseudo-terminal: what the farm benchmark relies on.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { parseChildEventLine } from '../src/runtime/child-events.js';

describe('the CLI with --events', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it('prints the M112 event of the printer that got it, and resets that printer on "reset <i>"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-events-'));
    const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', cli, '--count', '2', '--link-prefix', join(dir, 'p'), '--events', '--emergency-parser', '--baud', '0', '--latency-ms', '1', '--boot-ms', '0'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    cleanups.push(async () => {
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    });
    const lines: string[] = [];
    const waiters: (() => void)[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      for (const wake of waiters.splice(0)) wake();
    });
    const nextLine = async (match: (line: string) => boolean): Promise<string> => {
      for (;;) {
        const found = lines.find(match);
        if (found) return found;
        await new Promise<void>((resolve) => waiters.push(resolve));
      }
    };
    await nextLine((l) => l.startsWith('VP_READY') && l.includes(join(dir, 'p1')));

    const port = new SerialPort({ path: join(dir, 'p1'), baudRate: 250000, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    cleanups.unshift(() => new Promise<void>((resolve) => port.close(() => resolve())));
    const replies = createInterface({ input: port });
    const received: string[] = [];
    replies.on('line', (line) => received.push(line));

    const before = Date.now();
    port.write('M112\n');
    const event = parseChildEventLine(await nextLine((l) => l.startsWith('VP_EVENT')));
    expect(event).toMatchObject({ printer: 1, type: 'halted', cause: 'm112' });
    expect(event!.at).toBeGreaterThanOrEqual(before - 5);
    expect(event!.at).toBeLessThanOrEqual(Date.now());

    // Halted: M105 gets no answer until the printer is reset.
    port.write('M105\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(received.filter((l) => l.startsWith('ok'))).toEqual([]);
    child.stdin.write('reset 1\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    port.write('M105\n');
    await expect.poll(() => received.some((l) => l.startsWith('ok')), { timeout: 5_000 }).toBe(true);
  }, 20_000);
});
