// What the production build produces. Pure: the build script and its tests
// share this list. Add the host agent here when it exists
// (`{ name: 'agent', entry: 'apps/worker/src/agent.ts' }`).

export interface BuildTarget {
  /** Output folder under dist/ (dist/<name>/main.js). */
  name: string;
  entry: string;
}

export const buildTargets: readonly BuildTarget[] = [{ name: 'manager', entry: 'apps/manager/src/main.ts' }];

/** Our workspace packages are compiled into the bundle; every other bare import stays external. */
export function isBundledImport(specifier: string): boolean {
  return specifier.startsWith('@farm/');
}

/** The workspace folder holding the entry (`apps/manager` for `apps/manager/src/main.ts`). */
export function workspaceDirOf(target: BuildTarget): string {
  return target.entry.split('/').slice(0, 2).join('/');
}
