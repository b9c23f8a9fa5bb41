import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPackageDir, packageName, resolutionMismatches } from '../../scripts/bundle/package-resolution.js';
import { isBundledImport, workspaceDirOf } from '../../scripts/bundle/targets.js';

const root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'farm-resolution-')));
afterAll(() => fs.rm(root, { recursive: true, force: true }));

async function installPackage(dir: string, name: string, version: string): Promise<void> {
  await fs.mkdir(path.join(dir, 'node_modules', name), { recursive: true });
  await fs.writeFile(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
}

// A workspace where the app pins its own ioredis while the root holds another.
await installPackage(root, 'ioredis', '6.0.0');
await installPackage(root, 'pg', '8.0.0');
await installPackage(path.join(root, 'apps/manager'), 'ioredis', '5.11.0');
await fs.mkdir(path.join(root, 'apps/manager/src'), { recursive: true });
await fs.mkdir(path.join(root, 'dist/manager'), { recursive: true });

describe('bundle package resolution', () => {
  it('names the package of a specifier, and none for builtins', () => {
    expect(packageName('ioredis')).toBe('ioredis');
    expect(packageName('typebox/value')).toBe('typebox');
    expect(packageName('@fastify/helmet')).toBe('@fastify/helmet');
    expect(packageName('@node-rs/argon2/extra')).toBe('@node-rs/argon2');
    expect(packageName('node:fs')).toBeUndefined();
    expect(packageName('crypto')).toBeUndefined();
  });

  it('finds the nearest node_modules copy, as Node does', () => {
    expect(findPackageDir('ioredis', path.join(root, 'apps/manager/src'))).toBe(
      path.join(root, 'apps/manager/node_modules/ioredis'),
    );
    expect(findPackageDir('pg', path.join(root, 'apps/manager/src'))).toBe(path.join(root, 'node_modules/pg'));
    expect(findPackageDir('absent', root)).toBeUndefined();
  });

  it("reports a package the bundle would load in another version than the app's source", () => {
    expect(
      resolutionMismatches(['ioredis', 'pg'], path.join(root, 'apps/manager/src'), path.join(root, 'dist/manager')),
    ).toEqual([
      {
        name: 'ioredis',
        fromSource: path.join(root, 'apps/manager/node_modules/ioredis'),
        fromBundle: path.join(root, 'node_modules/ioredis'),
      },
    ]);
  });

  it("finds none once dist/<app>/node_modules links to the app's own", async () => {
    await fs.symlink('../../apps/manager/node_modules', path.join(root, 'dist/manager/node_modules'));
    expect(
      resolutionMismatches(['ioredis', 'pg'], path.join(root, 'apps/manager/src'), path.join(root, 'dist/manager')),
    ).toEqual([]);
  });
});

describe('build targets', () => {
  it('compiles our @farm/* packages into the bundle and leaves npm packages external', () => {
    expect(isBundledImport('@farm/db')).toBe(true);
    expect(isBundledImport('fastify')).toBe(false);
    expect(isBundledImport('@fastify/helmet')).toBe(false);
  });

  it("takes the app's workspace folder from its entry", () => {
    expect(workspaceDirOf({ name: 'manager', entry: 'apps/manager/src/main.ts' })).toBe('apps/manager');
  });
});
