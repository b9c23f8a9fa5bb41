// The production build: compiles the manager and migrations to JavaScript,
// and the compiled manager really starts (migrating from the compiled
// migrations) against this run's Postgres and Redis.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from '../../scripts/bundle/targets.js';
import { findFreePort } from '../../scripts/launcher/free-port.js';
import { createTestEnv } from '../support/test-env.js';
import { repoRoot } from './launcher-process.js';

// Inside the repository (the bundles find npm packages by walking up to its
// node_modules), in a folder git and the real dist/ never see.
const outRoot = path.join(repoRoot, 'node_modules', '.cache', `farm-build-test-${randomBytes(4).toString('hex')}`);
const managerMissing = !existsSync(path.join(repoRoot, 'apps/manager/src/main.ts'));

beforeAll(async () => {
  if (managerMissing) return;
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/build.ts', '--outdir', outRoot], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    child.once('error', reject);
    child.once('close', resolve);
  });
  expect(code).toBe(0);
});

afterAll(() => fs.rm(outRoot, { recursive: true, force: true }));

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

describe.skipIf(managerMissing)('npm run build (needs apps/manager/src/main.ts)', () => {
  it('writes one JavaScript bundle per app with our workspace code inside and no source maps', async () => {
    for (const target of buildTargets) {
      const bundle = await fs.readFile(path.join(outRoot, target.name, 'main.js'), 'utf8');
      expect(bundle).not.toMatch(/from ["']@farm\//);
      expect(bundle).not.toContain('sourceMappingURL');
    }
    expect((await filesUnder(outRoot)).filter((f) => f.endsWith('.map'))).toEqual([]);
  });

  it('compiles every migration to its own file, keeping its name', async () => {
    const sources = (await fs.readdir(path.join(repoRoot, 'migrations'))).filter((f) => f.endsWith('.ts'));
    const compiled = await fs.readdir(path.join(outRoot, 'migrations'));
    expect(compiled.sort()).toEqual(sources.map((f) => f.replace(/\.ts$/, '.js')).sort());
  });

  it('starts the compiled manager, which migrates from the compiled migrations and answers health', async () => {
    const env = await createTestEnv();
    const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-built-'));
    const port = await findFreePort();
    const child = spawn(process.execPath, [path.join(outRoot, 'manager', 'main.js')], {
      cwd: os.tmpdir(), // nothing may depend on being started from the repository
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        DATABASE_URL: env.databaseUrl,
        REDIS_URL: env.redisUrl,
        REDIS_PREFIX: env.redisPrefix,
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        MIGRATIONS_DIR: path.join(outRoot, 'migrations'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        const onData = (chunk: Buffer): void => {
          output += chunk.toString('utf8');
          if (output.includes('Setup URL:')) resolve();
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        void closed.then((code) => reject(new Error(`built manager exited (${code}):\n${output}`)));
      });
      expect(output).toContain(`Listening on http://127.0.0.1:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/api/health`);
      expect(await response.json()).toEqual({ postgres: true, redis: true });
    } finally {
      child.kill('SIGTERM');
    }
    expect(await closed).toBe(0);
    await fs.rm(dataDir, { recursive: true, force: true });
  });
});
