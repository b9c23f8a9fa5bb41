import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR } from './support/corpus.js';
import { expectedCommands } from './support/expected-commands.js';
import { REPO_ROOT } from './support/vp-process.js';

/** `npm run print` as a user runs it, against the virtual printer on a pty and over TCP. */
const CLI = join(REPO_ROOT, 'apps/worker/src/print.cli.ts');
let dir: string;
let printer: VirtualPrinter | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'farm-e2e-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await printer?.close();
  printer = undefined;
});

function runPrint(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const FAST = { baud: 0, latencyMs: 0, profile: '32bit', timeScale: 1000 } as const;
const FILE = `${CORPUS_DIR}prusaslicer-2.8.1_mk4s_mini-cube.gcode`;

describe('npm run print', () => {
  it('prints a file over a pseudo-terminal and ends with a one-line summary', async () => {
    printer = await startVirtualPrinter({ ...FAST, advancedOk: true });
    const { code, stdout, stderr } = await runPrint(['--port', printer.address, '--baud', '250000', '--flow', 'window', '--boot-wait', '100', FILE]);

    expect(stderr).toMatch(/window flow control/);
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^2147 lines, \d+\.\d s, \d+ lines\/s, \d+ resends, result completed$/);
    expect(printer.executedCommands()).toEqual(expect.arrayContaining(await expectedCommands(FILE)));
  });

  it('prints over a TCP serial bridge in ping-pong and reports JSON', async () => {
    printer = await startVirtualPrinter({ ...FAST, tcpPort: 0 });
    const { code, stdout } = await runPrint(['--port', printer.address, '--flow', 'pingpong', '--boot-wait', '0', '--json', '--quiet', FILE]);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ result: 'completed', lines: 2147, flow: 'pingpong' });
  });

  it('refuses a file line above the hotend cap, names the reason and exits non-zero', async () => {
    printer = await startVirtualPrinter(FAST);
    const path = join(dir, 'too-hot.gcode');
    await writeFile(path, 'G28\nG1 X10 Y10\nM104 S280\nG1 X20 Y20\n');
    const { code, stdout } = await runPrint(['--port', printer.address, '--boot-wait', '100', '--max-hotend', '250', path]);

    expect(code).toBe(1);
    expect(stdout).toMatch(/result failed \(temperature-above-cap\).*280/);
    expect(printer.executedCommands()).not.toContain('M104 S280');
    expect(printer.executedCommands()).not.toContain('G1 X20 Y20');
  });

  it('exits 2 with the usage on a bad command line', async () => {
    const { code, stderr } = await runPrint(['--flow', 'fast', FILE]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: npm run print/);
  });

  it('exits 1 when the port does not exist', async () => {
    const { code, stdout } = await runPrint(['--port', join(dir, 'no-such-port'), '--quiet', FILE]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/result not_connected \(transport\.not_found\)/);
  });
});
