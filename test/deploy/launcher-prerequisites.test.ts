import { spawn } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readOrCreateSecret } from '../../scripts/launcher/secret-file.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-launcher-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

function runLauncher(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts/start.ts')], {
      cwd: repoRoot,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

describe('npm start without redis-server', () => {
  it('explains how to install Redis or set REDIS_URL, exits 69, and starts nothing', async () => {
    const dataDir = path.join(tmp, 'no-redis');
    const { code, output } = await runLauncher({ PATH: path.join(tmp, 'empty-bin'), DATA_DIR: dataDir });
    expect(code).toBe(69);
    expect(output).toContain('redis-server was not found on PATH');
    expect(output).toContain('apt-get install redis-server');
    expect(output).toContain('REDIS_URL');
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('readOrCreateSecret', () => {
  it('creates a 0600 file holding 32 random bytes as hex, and returns the same secret afterwards', async () => {
    const file = path.join(tmp, 'secrets', 'redis-password');
    const first = await readOrCreateSecret(file);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    await expect(readOrCreateSecret(file)).resolves.toBe(first);
  });

  it('refuses a file that holds something too short to be a secret', async () => {
    const file = path.join(tmp, 'short');
    await fs.writeFile(file, 'changeme\n');
    await expect(readOrCreateSecret(file)).rejects.toThrow(/no usable secret/);
  });
});
