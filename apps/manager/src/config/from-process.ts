// The one place the manager reads process.env.
import { loadConfig, loadDatabaseUrl, type LoadConfigOptions, type ManagerConfig } from './config.js';

export function loadConfigFromProcess(options?: LoadConfigOptions): ManagerConfig {
  return loadConfig(process.env, options);
}

export function loadDatabaseUrlFromProcess(): ReturnType<typeof loadDatabaseUrl> {
  return loadDatabaseUrl(process.env);
}
