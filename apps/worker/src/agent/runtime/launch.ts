// How the agent starts its children: port workers and virtual printers, each
// `node --import tsx --import exit-with-parent.ts <entry> …` by default, with
// an environment built from scratch (no host token, ever).
import { fileURLToPath } from 'node:url';
import { PORT_WORKER_ENV } from '@farm/contracts';
import type { AgentLogLevel } from '../config/agent-config.js';
import type { WorkerCommand } from '../supervision/worker-process.js';

const here = (relative: string): string => fileURLToPath(new URL(relative, import.meta.url));

/** The repository root (tsx resolves from here) and the entry points the defaults run. */
export const REPO_ROOT = here('../../../../../');
export const EXIT_WITH_PARENT_MODULE = here('./exit-with-parent.ts');
export const PORT_WORKER_ENTRY = here('../../port-worker.ts');
export const VIRTUAL_PRINTER_CLI = here('../../../../../libs/virtual-printer/src/cli.ts');

/** node + tsx + the parent watch, in front of a TypeScript entry point. */
export function tsxCommand(entry: string): { file: string; args: string[] } {
  return { file: process.execPath, args: ['--import', 'tsx', '--import', EXIT_WITH_PARENT_MODULE, entry] };
}

/**
 * The port worker command: the configured argument array (`{spec}` marks the
 * spec argument; without one the spec is appended), or the tsx default.
 */
export function workerCommand(configured: readonly string[] | undefined, env: NodeJS.ProcessEnv): WorkerCommand {
  if (configured === undefined) {
    const { file, args } = tsxCommand(PORT_WORKER_ENTRY);
    return { file, args: [...args, '{spec}'], env, cwd: REPO_ROOT, exitWithParent: true };
  }
  const [file, ...args] = configured;
  const withSpec = args.some((a) => a.includes('{spec}')) ? args : [...args, '{spec}'];
  return { file: file ?? process.execPath, args: withSpec, env, cwd: REPO_ROOT, exitWithParent: true };
}

/** The port worker's log levels are fewer than the agent's. */
function workerLogLevel(level: AgentLogLevel): 'error' | 'warn' | 'info' | 'debug' {
  switch (level) {
    case 'fatal':
    case 'error':
    case 'silent':
      return 'error';
    case 'warn':
    case 'info':
    case 'debug':
      return level;
    case 'trace':
      return 'debug';
  }
}

export type WorkerEnvInput = {
  readonly base: Readonly<Record<string, string>>;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly hostId: string;
  readonly controlKey: string;
  readonly logLevel: AgentLogLevel;
};

export function workerEnv(input: WorkerEnvInput): NodeJS.ProcessEnv {
  return {
    ...input.base,
    [PORT_WORKER_ENV.redisUrl]: input.redisUrl,
    [PORT_WORKER_ENV.redisPrefix]: input.redisPrefix,
    [PORT_WORKER_ENV.hostId]: input.hostId,
    [PORT_WORKER_ENV.controlKey]: input.controlKey,
    [PORT_WORKER_ENV.logLevel]: workerLogLevel(input.logLevel),
  };
}
