// The one place the host agent reads process.env.
import { parseAgentConfig, type AgentConfig } from './agent-config.js';

export function agentConfigFromProcess(): AgentConfig {
  return parseAgentConfig(process.env, process.cwd());
}

/** The variables passed on to child processes (workers, virtual printers): the system basics only, never the host token. */
export function inheritedChildEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'TMPDIR', 'NODE_ENV']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
