// The farm's own processes, started in this order after Postgres and Redis and
// stopped in reverse: the host agent (which stops its port workers itself)
// before the manager.
import path from 'node:path';
import { buildAgentEnv, buildAppEnv, type ResolvedServices } from './child-env.js';
import type { ManagedProcessSpec } from './managed-process.js';
import type { LaunchEnv } from './plan.js';

export type AppKind = 'manager' | 'agent';

export interface AppProcess {
  name: string;
  kind: AppKind;
  /** TypeScript entry point, relative to the repository root. */
  entry: string;
}

export const appProcesses: readonly AppProcess[] = [
  { name: 'manager', kind: 'manager', entry: 'apps/manager/src/main.ts' },
  { name: 'agent', kind: 'agent', entry: 'apps/worker/src/agent.ts' },
];

export function appEnv(app: AppProcess, base: LaunchEnv, services: ResolvedServices): Record<string, string> {
  switch (app.kind) {
    case 'manager':
      return buildAppEnv(base, services);
    case 'agent':
      return buildAgentEnv(base, services);
  }
}

/**
 * Runs the entry under tsx as `node --import tsx <entry>`: one process (the
 * `tsx` command would add a relaying parent) so signals reach the app directly.
 */
export function appProcessSpec(
  app: AppProcess,
  context: { repoRoot: string; env: Record<string, string>; nodePath: string },
): ManagedProcessSpec {
  return {
    name: app.name,
    command: context.nodePath,
    args: ['--import', 'tsx', path.join(context.repoRoot, app.entry)],
    cwd: context.repoRoot,
    env: context.env,
    stopSignal: 'SIGTERM',
    // The agent's own stop waits for its port workers to close their ports.
    stopGraceMs: 15_000,
    // The app owns the terminal: its log format (pretty on a TTY) stays its own.
    output: 'inherit',
  };
}
