export { loadConfig, loadDatabaseUrl, type ManagerConfig, type LogLevel, type LoadConfigOptions } from './config.js';
export { ConfigError, type ConfigIssue } from './config-error.js';
export { loadConfigFromProcess, loadDatabaseUrlFromProcess } from './from-process.js';
