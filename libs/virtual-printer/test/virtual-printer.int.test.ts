import { spawn } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameLine } from '@farm/gcode';
import { afterEach, describe, expect, it } from 'vitest';
import type { VirtualPrinter } from '../src/index.js';
import { openPtyPair, parseChildStatsLine, startVirtualPrinter } from '../src/index.js';
import { LineHost, SerialPortProbe } from './line-host.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function printer(options: Parameters<typeof startVirtualPrinter>[0]): Promise<VirtualPrinter> {
  const vp = await startVirtualPrinter({ latencyMs: 1, timeScale: 20, bootMs: 100, ...options });
  cleanups.push(() => vp.close());
  return vp;
}

async function host(address: string): Promise<LineHost> {
  const h = address.startsWith('tcp://') ? await LineHost.tcp(address) : await LineHost.serial(address);
  cleanups.push(() => h.close());
  return h;
}

/** Hello until the board has booted and answered, as a host does after the reset on open. */
async function handshake(h: LineHost): Promise<void> {
  h.write(`${frameLine(0, 'M110 N0')}\n`);
  await h.waitFor((lines) => lines.includes('start'));
  const before = h.lines.length;
  h.write(`${frameLine(0, 'M110 N0')}\n`);
  await h.waitFor((lines) => lines.slice(before).includes('ok'));
}

describe('virtual printer over a pseudo-terminal', () => {
  it('opens a socat pair whose ends talk to each other', async () => {
    const pair = await openPtyPair();
    cleanups.push(() => pair.close());
    const a = await host(pair.a);
    const b = await host(pair.b);
    a.write('hello\n');
    await b.waitFor((lines) => lines.includes('hello'));
  });

  it('greets after the host speaks, then prints a short job in ping-pong', async () => {
    const vp = await printer({});
    const h = await host(vp.address);
    await handshake(h);
    const job = ['G28', 'M104 S200', 'G1 X10 Y10 F6000', 'G1 X20 Y10 E1.5', 'G1 X20 Y20 E3', 'M400'];
    for (const [i, command] of job.entries()) await h.sendAndWaitOk(frameLine(i + 1, command));
    expect(vp.executedCommands()).toEqual(['M110 N0', ...job]);
    expect(vp.stats().counters.checksumErrors).toBe(0);
  });

  it('can greet a host that waits for start without speaking first', async () => {
    const vp = await printer({ announceAfterMs: 300 });
    const h = await host(vp.address);
    await h.waitFor((lines) => lines.includes('start'));
  });

  it('asks for a corrupted line again and executes it once', async () => {
    const vp = await printer({ faults: 'corrupt@line=2' });
    const h = await host(vp.address);
    await handshake(h);
    await h.sendAndWaitOk(frameLine(1, 'G1 X1 F6000'));
    await h.sendAndWaitOk(frameLine(2, 'G1 X2'));
    expect(h.lines).toContain('Resend: 2');
    await h.sendAndWaitOk(frameLine(2, 'G1 X2'));
    await h.sendAndWaitOk(frameLine(3, 'G1 X3'));
    expect(vp.executedCommands()).toEqual(['M110 N0', 'G1 X1 F6000', 'G1 X2', 'G1 X3']);
  });

  it('halts on M112 and answers nothing after it', async () => {
    const vp = await printer({});
    const h = await host(vp.address);
    await handshake(h);
    h.write('M112\n');
    await h.waitFor((lines) => lines.includes('Error:Printer halted. kill() called!'));
    const count = h.lines.length;
    h.write('M105\n');
    await new Promise((r) => setTimeout(r, 200));
    expect(h.lines.length).toBe(count);
    expect(vp.stats().state).toBe('halted');
  });
});

describe('injected disconnect', () => {
  it('makes the device vanish mid-print and come back at the same path, freshly booted', async () => {
    const vp = await printer({ faults: 'disconnect@line=2', reconnectAfterMs: 300 });
    const first = await SerialPortProbe.open(vp.address);
    await handshake(first.host);
    await first.host.sendAndWaitOk(frameLine(1, 'G1 X1 F6000'));
    first.host.write(`${frameLine(2, 'G1 X2')}\n`);
    await first.closed;
    await first.host.close();
    const deadline = Date.now() + 5000;
    let again: LineHost | undefined;
    while (!again) {
      try {
        again = await host(vp.address);
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    await handshake(again);
    expect(vp.executedCommands()).toEqual(['M110 N0', 'G1 X1 F6000', 'M110 N0']);
  });
});

describe('virtual printer over TCP', () => {
  it('greets after a connection and answers M115', async () => {
    const vp = await printer({ tcpPort: 0, announceAfterMs: 50 });
    const h = await host(vp.address);
    await h.waitFor((lines) => lines.includes('start'));
    h.write('M115\n');
    await h.waitFor((lines) => lines.some((l) => l.startsWith('FIRMWARE_NAME:Marlin')) && lines.at(-1) === 'ok');
  });
});

describe('virtual printer CLI in a child process', () => {
  it('prints VP_READY, serves the host, and on SIGTERM prints VP_STATS and writes the record', async () => {
    const dir = join(tmpdir(), `vp-cli-${process.pid}-${Date.now()}`);
    const link = `${dir}-link`;
    const record = `${dir}.rec`;
    cleanups.push(() => rm(record, { force: true }));
    const root = new URL('../../../', import.meta.url).pathname;
    // Run node itself (not npx) so SIGTERM reaches the CLI.
    const child = spawn(process.execPath, ['--import', 'tsx', 'libs/virtual-printer/src/cli.ts', '--link', link, '--latency-ms', '1', '--boot-ms', '50', '--record', record], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    cleanups.push(async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    });
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('VP_READY')) {
      if (Date.now() > deadline) throw new Error('CLI did not start');
      await new Promise((r) => setTimeout(r, 50));
    }
    const h = await LineHost.serial(link);
    await handshake(h);
    await h.sendAndWaitOk(frameLine(1, 'G1 X5 F3000'));
    await h.close();
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const stats = stdout.split('\n').map(parseChildStatsLine).find((s) => s !== undefined);
    expect(stats?.counters.commandsExecuted).toBe(2);
    expect(await readFile(record, 'utf8')).toBe('M110 N0\nG1 X5 F3000\n');
  });
});
