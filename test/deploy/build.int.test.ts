// The production build: compiles the apps and migrations to JavaScript; the
// compiled manager really starts (migrating from the compiled migrations)
// against this run's Postgres and Redis, the compiled host agent signs in to it
// with the local host token, and the compiled port worker loads.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTargets } from '../../scripts/bundle/targets.js';
import { findFreePort } from '../../scripts/launcher/free-port.js';
import { newHostToken } from '../../scripts/launcher/host-token.js';
import { createTestEnv } from '../support/test-env.js';
import { repoRoot } from './launcher-process.js';

// Inside the repository (the bundles find npm packages by walking up to its
// node_modules), in a folder git and the real dist/ never see.
const outRoot = path.join(repoRoot, 'node_modules', '.cache', `farm-build-test-${randomBytes(4).toString('hex')}`);
const missingEntries = buildTargets.filter((t) => !existsSync(path.join(repoRoot, t.entry))).map((t) => t.entry);
const managerMissing = missingEntries.length > 0;

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

interface Child {
  output: () => string;
  closed: Promise<number | null>;
  kill: (signal: NodeJS.Signals) => void;
  /** Resolves once the output contains `text`; rejects if the process exits first. */
  waitFor: (text: string) => Promise<void>;
}

function startNode(args: string[], env: NodeJS.ProcessEnv): Child {
  const child = spawn(process.execPath, args, {
    cwd: os.tmpdir(), // nothing may depend on being started from the repository
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const onData = (chunk: Buffer): void => {
    output += chunk.toString('utf8');
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return {
    output: () => output,
    closed,
    kill: (signal) => child.kill(signal),
    waitFor: (text) =>
      new Promise<void>((resolve, reject) => {
        const check = (): void => {
          if (output.includes(text)) resolve();
        };
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        check();
        void closed.then((code) =>
          reject(new Error(`${args.join(' ')} exited (${code}) before "${text}":\n${output}`)),
        );
      }),
  };
}

async function waitForKey(redis: Redis, pattern: string, exited: Promise<unknown>): Promise<string> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    const [found] = await scanAll(redis, pattern);
    if (found) return found;
    if (gone) throw new Error(`exited before ${pattern} appeared`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function scanAll(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found;
}

/** The image's AGENT_WORKER_COMMAND, with this build's paths. */
function workerCommand(): string[] {
  return [
    process.execPath,
    '--import',
    path.join(outRoot, 'exit-with-parent', 'main.js'),
    path.join(outRoot, 'port-worker', 'main.js'),
  ];
}

describe.skipIf(managerMissing)(
  `npm run build (needs every entry: missing ${missingEntries.join(', ') || 'none'})`,
  () => {
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

    it('loads the compiled port worker with its preload, which refuses to start without a spec (exit 2)', async () => {
      const worker = startNode(workerCommand().slice(1), {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
      });
      expect(await worker.closed).toBe(2);
      expect(worker.output()).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
    });

    it('starts the compiled manager and, signed in with the local host token, the compiled host agent', async () => {
      const env = await createTestEnv();
      const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-built-'));
      const agentDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'farm-built-agent-'));
      const port = await findFreePort();
      const hostToken = newHostToken();
      const manager = startNode([path.join(outRoot, 'manager', 'main.js')], {
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
        LOCAL_HOST_TOKEN: hostToken,
      });
      const redis = new Redis(env.redisUrl, { maxRetriesPerRequest: 3 });
      let agent: Child | undefined;
      try {
        await manager.waitFor('Setup URL:');
        expect(manager.output()).toContain(`Listening on http://127.0.0.1:${port}`);
        const response = await fetch(`http://127.0.0.1:${port}/api/health`);
        expect(await response.json()).toEqual({ postgres: true, redis: true });

        // As in the image: the compiled agent runs the compiled port worker, no tsx anywhere.
        agent = startNode([path.join(outRoot, 'agent', 'main.js')], {
          PATH: process.env.PATH,
          NODE_ENV: 'production',
          MANAGER_URL: `http://127.0.0.1:${port}`,
          HOST_TOKEN: hostToken,
          REDIS_URL: env.redisUrl,
          REDIS_PREFIX: env.redisPrefix,
          DATA_DIR: agentDataDir,
          LOG_LEVEL: 'warn',
          AGENT_VIRTUAL_PRINTERS: 'none',
          AGENT_WORKER_COMMAND: JSON.stringify(workerCommand()),
        });
        // The agent writes its status under the host id the manager gave it for this token.
        const statusKey = await waitForKey(redis, `${env.redisPrefix}host:*:status`, agent.closed);
        expect(JSON.parse((await redis.get(statusKey)) ?? '{}')).toMatchObject({ workers: [] });
        agent.kill('SIGTERM');
        expect(await agent.closed).toBe(0);
      } finally {
        agent?.kill('SIGKILL');
        manager.kill('SIGTERM');
        redis.disconnect();
      }
      expect(await manager.closed).toBe(0);
      await fs.rm(dataDir, { recursive: true, force: true });
      await fs.rm(agentDataDir, { recursive: true, force: true });
    });
  },
);
