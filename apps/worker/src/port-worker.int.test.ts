// The port worker as the host agent runs it: a real process, a real Redis, a
// virtual printer on a pseudo-terminal.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ControlKey } from '@farm/contracts';
import { startVirtualPrinter, type VirtualPrinter } from '@farm/virtual-printer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestEnv, type TestEnv } from '../../../test/support/test-env.js';
import { LiveProbe, randomControlKey, testSpec, until, workerEnv } from './runtime/testing/runtime-harness.js';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const ENTRY = fileURLToPath(new URL('./port-worker.ts', import.meta.url));

let env: TestEnv;
let key: ControlKey;

beforeAll(async () => {
  env = await createTestEnv();
  key = randomControlKey();
});

function spawnWorker(
  args: string[],
  environment: Record<string, string>,
): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', ...environment },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-8000)));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exit, stderr: () => stderr };
}

describe('port worker process', () => {
  let printer: VirtualPrinter;
  let probe: LiveProbe;

  beforeAll(async () => {
    printer = await startVirtualPrinter({ latencyMs: 1, timeScale: 20 });
    probe = await LiveProbe.start(env.redisUrl, env.redisPrefix, 'proc-1', key);
  });
  afterAll(async () => {
    await probe.close();
    await printer.close();
  });

  it('exits 2 with a clear message on a bad spec or environment', async () => {
    const bad = spawnWorker(['{"printerId":"x"}'], workerEnv(env.redisUrl, env.redisPrefix, key));
    expect(await bad.exit).toBe(2);
    expect(bad.stderr()).toMatch(/worker spec is invalid/);
    const noKey = spawnWorker([JSON.stringify(testSpec('proc-1', printer.address))], {
      ...workerEnv(env.redisUrl, env.redisPrefix, key),
      FARM_CONTROL_KEY: 'nope',
    });
    expect(await noKey.exit).toBe(2);
    expect(noKey.stderr()).toMatch(/FARM_CONTROL_KEY/);
    expect(noKey.stderr()).not.toMatch(/nope/);
  });

  it('connects, reports, takes a control, and on SIGTERM reports the printer offline and exits 0', async () => {
    const worker = spawnWorker(
      [JSON.stringify(testSpec('proc-1', printer.address))],
      workerEnv(env.redisUrl, env.redisPrefix, key),
    );
    try {
      await probe.waitStatus('idle', 30_000);
      expect(await probe.redis.exists(probe.keys.heartbeat('proc-1'))).toBe(1);
      const outcome = await probe.control({ kind: 'terminal', line: 'M115' });
      expect(outcome.ok && outcome.output?.some((line) => line.startsWith('FIRMWARE_NAME:'))).toBe(true);

      worker.child.kill('SIGTERM');
      expect(await worker.exit).toBe(0);
      expect(await probe.redis.exists(probe.keys.heartbeat('proc-1'))).toBe(0);
      expect((await probe.state())?.status).toBe('offline');
      await until('printer.offline', () =>
        probe.events.some((e) => e.type === 'printer.offline' && e.printerId === 'proc-1'),
      );
    } finally {
      if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
    }
  });
});
