// One JSON line per message on stderr (the host agent passes it through to
// its own log). Never given secrets: callers log codes and ids, not payloads.
import type { LogLevel } from './config/worker-config.js';

export type Logger = {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
};

const ORDER: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

export function createLogger(
  level: LogLevel,
  base: Record<string, unknown>,
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const at = (lvl: LogLevel) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] > ORDER[level]) return;
    write(`${JSON.stringify({ level: lvl, time: new Date().toISOString(), ...base, msg: message, ...fields })}\n`);
  };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
