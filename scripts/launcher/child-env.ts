// The environment each app process starts with: the caller's environment (so
// HOST, PORT, LOG_LEVEL, secrets... pass through untouched) with the service
// URLs and data folder the launcher settled on. Pure.
import type { LaunchEnv } from './plan.js';

export interface ResolvedServices {
  databaseUrl: string;
  redisUrl: string;
  dataDir: string;
}

export function buildAppEnv(base: LaunchEnv, services: ResolvedServices): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value !== undefined) env[key] = value;
  }
  env.DATABASE_URL = services.databaseUrl;
  env.REDIS_URL = services.redisUrl;
  env.DATA_DIR = services.dataDir;
  return env;
}
