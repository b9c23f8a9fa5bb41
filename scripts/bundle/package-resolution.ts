// A bundle in dist/<app>/ imports its npm packages by name, so Node resolves
// them from dist/<app>/ upwards, not from the app's workspace folder. In a
// workspace the two can differ (apps/manager/node_modules/ioredis is 5.x while
// the root holds 6.x for another package). The build links
// dist/<app>/node_modules to the workspace's own node_modules, and this check
// proves every package then resolves to the same folder as from the source.
import { existsSync, realpathSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import path from 'node:path';

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`; undefined for builtins. */
export function packageName(specifier: string): string | undefined {
  if (isBuiltin(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The package folder Node would load `name` from, for a file in `fromDir` (node_modules lookup). */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}

export interface ResolutionMismatch {
  name: string;
  fromSource: string | undefined;
  fromBundle: string | undefined;
}

export function resolutionMismatches(
  names: Iterable<string>,
  sourceDir: string,
  bundleDir: string,
): ResolutionMismatch[] {
  const mismatches: ResolutionMismatch[] = [];
  for (const name of new Set(names)) {
    const fromSource = findPackageDir(name, sourceDir);
    const fromBundle = findPackageDir(name, bundleDir);
    if (fromSource !== fromBundle) mismatches.push({ name, fromSource, fromBundle });
  }
  return mismatches;
}
