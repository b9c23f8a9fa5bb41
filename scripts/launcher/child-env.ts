// The environment each app process starts with. Pure.
// - The manager: the caller's environment (so HOST, PORT, LOG_LEVEL, secrets...
//   pass through untouched) with the service URLs, the data folder and the
//   local host token the launcher settled on.
// - The host agent: only what it needs. It never sees the database URL (with
//   the Postgres superuser password) nor the manager's secrets.
import type { LaunchEnv } from './plan.js';

export interface ResolvedServices {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
  /** Where the local agent reaches the manager (see manager-url.ts). */
  managerUrl: string;
  /** This machine's host token: LOCAL_HOST_TOKEN for the manager, HOST_TOKEN for the agent. */
  hostToken: string;
}

export function buildAppEnv(base: LaunchEnv, services: ResolvedServices): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = value;
  }
  delete env.HOST_TOKEN; // the agent's credential; the manager knows the host by LOCAL_HOST_TOKEN
  env.DATABASE_URL = services.databaseUrl;
  env.REDIS_URL = services.redisUrl;
  env.DATA_DIR = services.dataDir;
  env.LOCAL_HOST_TOKEN = services.hostToken;
  return env;
}

/** Passed to the agent as given: the system basics, its log settings and its own AGENT_* options. */
const agentPassThrough = new Set([
  'PATH',
  'HOME',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
  'TERM',
  'NO_COLOR',
  'FORCE_COLOR',
  'NODE_ENV',
  'NODE_OPTIONS',
  'LOG_LEVEL',
  'REDIS_PREFIX',
]);

export function buildAgentEnv(base: LaunchEnv, services: ResolvedServices): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined && (agentPassThrough.has(key) || key.startsWith('AGENT_'))) env[key] = value;
  }
  env.MANAGER_URL = services.managerUrl;
  env.HOST_TOKEN = services.hostToken;
  env.REDIS_URL = services.redisUrl;
  env.DATA_DIR = services.dataDir;
  return env;
}
