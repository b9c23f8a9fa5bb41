// One JSON object per line on stderr, with a level filter. The agent logs
// little (port changes, worker lifecycle, manager trouble); secrets are never
// passed to it.
import type { AgentLogLevel } from '../config/agent-config.js';

export type LogFields = Readonly<Record<string, unknown>>;

export type AgentLogger = {
  error(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  debug(msg: string, fields?: LogFields): void;
};

const RANK: Record<AgentLogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 };

export function createLogger(level: AgentLogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): AgentLogger {
  const at =
    (name: 'error' | 'warn' | 'info' | 'debug') =>
    (msg: string, fields: LogFields = {}): void => {
      if (RANK[name] < RANK[level]) return;
      write(`${JSON.stringify({ level: name, time: new Date().toISOString(), name: 'agent', msg, ...fields })}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));
