// What the production build produces. Pure: the build script and its tests
// share this list. The image runs each as `node dist/<name>/main.js`: the
// manager, the host agent, and the port worker the agent spawns per printer,
// preloaded with exit-with-parent so a worker never outlives its agent
// (AGENT_WORKER_COMMAND in the Dockerfile names both).

export interface BuildTarget {
  /** Output folder under dist/ (dist/<name>/main.js). */
  name: string;
  entry: string;
}

export const buildTargets: readonly BuildTarget[] = [
  { name: 'manager', entry: 'apps/manager/src/main.ts' },
  { name: 'agent', entry: 'apps/worker/src/agent.ts' },
  { name: 'port-worker', entry: 'apps/worker/src/port-worker.ts' },
  { name: 'exit-with-parent', entry: 'apps/worker/src/agent/runtime/exit-with-parent.ts' },
];

/** Our workspace packages are compiled into the bundle; every other bare import stays external. */
export function isBundledImport(specifier: string): boolean {
  return specifier.startsWith('@farm/');
}

/** The workspace folder holding the entry (`apps/manager` for `apps/manager/src/main.ts`). */
export function workspaceDirOf(target: BuildTarget): string {
  return target.entry.split('/').slice(0, 2).join('/');
}
