// The host agent's configuration, parsed from an environment. Every bad value
// is collected and reported at once (never the values themselves: the host
// token is a secret).
import { isAbsolute, resolve } from 'node:path';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';

export const VIRTUAL_PRINTER_KINDS = ['prusa', 'ender', 'klipper'] as const;
export type VirtualPrinterKind = (typeof VIRTUAL_PRINTER_KINDS)[number];

export const AGENT_LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type AgentLogLevel = (typeof AGENT_LOG_LEVELS)[number];

export type VirtualPrintersSetting =
  /** Three virtual printers (one of each kind) when no serial port is seen at start. */
  | { readonly mode: 'auto' }
  | { readonly mode: 'none' }
  | { readonly mode: 'list'; readonly kinds: readonly VirtualPrinterKind[] };

export type AgentConfig = {
  /** Without a trailing slash. */
  readonly managerUrl: string;
  readonly hostToken: string;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  /** Absolute. */
  readonly dataDir: string;
  readonly logLevel: AgentLogLevel;
  readonly virtualPrinters: VirtualPrintersSetting;
  /** Absolute; a JSON file of declared ports, re-read on every scan. */
  readonly portsFile: string | undefined;
  readonly scanIntervalMs: number;
  /** The port worker command as an argument array (`{spec}` marks the spec argument); undefined = the tsx default. */
  readonly workerCommand: readonly string[] | undefined;
};

export type AgentConfigIssue = { readonly variable: string; readonly problem: string };

export class AgentConfigError extends Error {
  override readonly name = 'AgentConfigError';
  constructor(readonly issues: readonly AgentConfigIssue[]) {
    super(`Invalid host agent configuration:\n${issues.map((i) => `  ${i.variable}: ${i.problem}`).join('\n')}`);
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

const PREFIX = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_VIRTUAL_PRINTERS = 32;

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/** `cwd` resolves relative paths (DATA_DIR, AGENT_PORTS_FILE). */
export function parseAgentConfig(env: Env, cwd: string): AgentConfig {
  const issues: AgentConfigIssue[] = [];
  const problem = (variable: string, text: string): undefined => {
    issues.push({ variable, problem: text });
    return undefined;
  };

  const managerUrl = ((): string | undefined => {
    const raw = nonEmpty(env.MANAGER_URL);
    if (raw === undefined) return problem('MANAGER_URL', 'required: the manager base URL, such as http://127.0.0.1:3000');
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return problem('MANAGER_URL', 'not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return problem('MANAGER_URL', 'must be an http:// or https:// URL');
    if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') return problem('MANAGER_URL', 'must not carry credentials, a query or a fragment');
    return url.toString().replace(/\/+$/, '');
  })();

  const hostToken = ((): string | undefined => {
    const raw = nonEmpty(env.HOST_TOKEN);
    if (raw === undefined) return problem('HOST_TOKEN', 'required: the host token an admin created for this host (fh_…)');
    if (!new RegExp(HOST_TOKEN_PATTERN).test(raw)) return problem('HOST_TOKEN', 'not a host token (expected fh_<8 hex>_<43 base64url characters>)');
    return raw;
  })();

  const redisUrl = ((): string | undefined => {
    const raw = nonEmpty(env.REDIS_URL);
    if (raw === undefined || !/^rediss?:\/\//.test(raw)) return problem('REDIS_URL', 'required: a redis:// or rediss:// URL');
    return raw;
  })();

  const redisPrefix = ((): string | undefined => {
    const raw = env.REDIS_PREFIX ?? 'farm:';
    if (!PREFIX.test(raw)) return problem('REDIS_PREFIX', 'letters, digits, _ . : - (1 to 64 characters; default farm:)');
    return raw;
  })();

  const dataDir = resolve(cwd, nonEmpty(env.DATA_DIR) ?? 'data');

  const logLevel = ((): AgentLogLevel | undefined => {
    const raw = (nonEmpty(env.LOG_LEVEL) ?? 'info').toLowerCase();
    const found = AGENT_LOG_LEVELS.find((l) => l === raw);
    return found ?? problem('LOG_LEVEL', `one of ${AGENT_LOG_LEVELS.join(', ')}`);
  })();

  const virtualPrinters = ((): VirtualPrintersSetting | undefined => {
    const raw = (nonEmpty(env.AGENT_VIRTUAL_PRINTERS) ?? 'auto').toLowerCase();
    if (raw === 'auto') return { mode: 'auto' };
    if (raw === 'none') return { mode: 'none' };
    const kinds: VirtualPrinterKind[] = [];
    for (const item of raw.split(',').map((s) => s.trim())) {
      const kind = VIRTUAL_PRINTER_KINDS.find((k) => k === item);
      if (kind === undefined) return problem('AGENT_VIRTUAL_PRINTERS', `auto, none, or a comma list of ${VIRTUAL_PRINTER_KINDS.join(', ')}`);
      kinds.push(kind);
    }
    if (kinds.length > MAX_VIRTUAL_PRINTERS) return problem('AGENT_VIRTUAL_PRINTERS', `at most ${MAX_VIRTUAL_PRINTERS} virtual printers`);
    return { mode: 'list', kinds };
  })();

  const portsFileRaw = nonEmpty(env.AGENT_PORTS_FILE);
  const portsFile = portsFileRaw === undefined ? undefined : isAbsolute(portsFileRaw) ? portsFileRaw : resolve(cwd, portsFileRaw);

  const scanIntervalMs = ((): number | undefined => {
    const raw = nonEmpty(env.AGENT_SCAN_INTERVAL_MS) ?? '2000';
    const n = /^\d{1,7}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= 100 && n <= 600_000)) return problem('AGENT_SCAN_INTERVAL_MS', 'an integer number of milliseconds from 100 to 600000 (default 2000)');
    return n;
  })();

  const workerCommand = ((): readonly string[] | undefined | null => {
    const raw = nonEmpty(env.AGENT_WORKER_COMMAND);
    if (raw === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return problem('AGENT_WORKER_COMMAND', 'not JSON: expected an array of strings such as ["/usr/bin/node","dist/port-worker.js"]') ?? null;
    }
    if (!Array.isArray(parsed) || parsed.length === 0 || !parsed.every((a): a is string => typeof a === 'string' && a !== '')) {
      return problem('AGENT_WORKER_COMMAND', 'expected a non-empty JSON array of non-empty strings') ?? null;
    }
    return parsed;
  })();

  if (
    issues.length > 0 ||
    managerUrl === undefined ||
    hostToken === undefined ||
    redisUrl === undefined ||
    redisPrefix === undefined ||
    logLevel === undefined ||
    virtualPrinters === undefined ||
    scanIntervalMs === undefined ||
    workerCommand === null
  ) {
    throw new AgentConfigError(issues);
  }
  return { managerUrl, hostToken, redisUrl, redisPrefix, dataDir, logLevel, virtualPrinters, portsFile, scanIntervalMs, workerCommand };
}
