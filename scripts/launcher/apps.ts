// The farm's own processes, started in this order after Postgres and Redis and
// stopped in reverse. Add a process here (the host agent:
// `{ name: 'agent', entry: 'apps/worker/src/agent.ts' }`) and `npm start` runs it.
import path from 'node:path';
import type { ManagedProcessSpec } from './managed-process.js';

export interface AppProcess {
  name: string;
  /** TypeScript entry point, relative to the repository root. */
  entry: string;
}

export const appProcesses: readonly AppProcess[] = [{ name: 'manager', entry: 'apps/manager/src/main.ts' }];

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
    stopGraceMs: 15_000,
    // The app owns the terminal: its log format (pretty on a TTY) stays its own.
    output: 'inherit',
  };
}
