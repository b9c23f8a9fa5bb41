import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { composeSecretNames } from '../../scripts/secrets/compose-secrets.js';
import { repoRoot } from './launcher-process.js';

const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-secrets-'));
afterAll(() => fs.rm(tmp, { recursive: true, force: true }));

function generate(out: string, ...extra: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(repoRoot, 'scripts/generate-secrets.ts'), '--out', out, ...extra],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, output }));
  });
}

function parseEnv(text: string): Map<string, string> {
  const entries = text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return new Map(entries);
}

describe('npm run secrets (scripts/generate-secrets.ts)', () => {
  const file = path.join(tmp, '.env');

  it('writes every secret docker-compose.yml needs into a new 0600 file', async () => {
    const { code } = await generate(file);
    expect(code).toBe(0);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const env = parseEnv(await fs.readFile(file, 'utf8'));
    expect([...env.keys()].sort()).toEqual([...composeSecretNames].sort());
    for (const [name, value] of env) {
      if (name === 'LOCAL_HOST_TOKEN') expect(value).toMatch(new RegExp(HOST_TOKEN_PATTERN));
      else expect(value, name).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('refuses to overwrite an existing file, which holds the passwords the volumes were made with', async () => {
    const before = await fs.readFile(file, 'utf8');
    const { code, output } = await generate(file);
    expect(code).toBe(1);
    expect(output).toContain('already exists');
    expect(output).toContain('--add-missing');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
  });
});

describe('npm run secrets -- --add-missing', () => {
  it('adds the host token to an .env from before the host agent, keeping every existing secret', async () => {
    const file = path.join(tmp, 'old.env');
    const old = composeSecretNames
      .filter((name) => name !== 'LOCAL_HOST_TOKEN')
      .map((name) => `${name}=${name.toLowerCase()}-kept`)
      .join('\n');
    await fs.writeFile(file, `${old}\n`, { mode: 0o644 });
    const { code, output } = await generate(file, '--add-missing');
    expect(code).toBe(0);
    expect(output).toContain('added LOCAL_HOST_TOKEN');
    const text = await fs.readFile(file, 'utf8');
    expect(text.startsWith(`${old}\n`)).toBe(true);
    const env = parseEnv(text);
    expect([...env.keys()].sort()).toEqual([...composeSecretNames].sort());
    expect(env.get('LOCAL_HOST_TOKEN')).toMatch(new RegExp(HOST_TOKEN_PATTERN));
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);

    const again = await generate(file, '--add-missing');
    expect(again.code).toBe(0);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
  });

  it('refuses to add one half of the Redis password pair', async () => {
    const file = path.join(tmp, 'half.env');
    await fs.writeFile(file, 'REDIS_PASSWORD=x\n');
    const { code, output } = await generate(file, '--add-missing');
    expect(code).not.toBe(0);
    expect(output).toContain('belong together');
    expect(await fs.readFile(file, 'utf8')).toBe('REDIS_PASSWORD=x\n');
  });
});
