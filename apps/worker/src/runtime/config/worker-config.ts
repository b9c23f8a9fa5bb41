// The port worker's configuration: the spec (one JSON argument from the host
// agent) and the environment. The only module of the worker that reads
// process.env; everything else receives a parsed `WorkerConfig`.
import Value from 'typebox/value';
import { controlKeyFromHex, PORT_WORKER_ENV, PortWorkerSpec, type ControlKey } from '@farm/contracts';

export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

export type WorkerConfig = {
  readonly spec: PortWorkerSpec;
  readonly redisUrl: string;
  readonly redisPrefix: string;
  readonly hostId: string;
  readonly controlKey: ControlKey;
  readonly logLevel: LogLevel;
};

export class WorkerConfigError extends Error {
  override readonly name = 'WorkerConfigError';
}

const LOG_LEVELS: readonly LogLevel[] = ['error', 'warn', 'info', 'debug'];
const HOST_ID = /^[A-Za-z0-9_-]{1,64}$/;
const PREFIX = /^[A-Za-z0-9_.:-]{0,64}$/;

/** Parses argv (after the script name) and an environment; throws WorkerConfigError with a message fit for stderr. */
export function parseWorkerConfig(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): WorkerConfig {
  if (argv.length !== 1 || argv[0] === undefined)
    throw new WorkerConfigError('usage: port-worker <spec-json> (exactly one argument)');
  let raw: unknown;
  try {
    raw = JSON.parse(argv[0]);
  } catch {
    throw new WorkerConfigError('the worker spec is not valid JSON');
  }
  if (!Value.Check(PortWorkerSpec, raw)) {
    const first = Value.Errors(PortWorkerSpec, raw)[0];
    throw new WorkerConfigError(
      `the worker spec is invalid${first ? ` at ${first.instancePath || '/'}: ${first.message}` : ''}`,
    );
  }
  const spec = raw;

  const redisUrl = env[PORT_WORKER_ENV.redisUrl];
  if (!redisUrl || !/^rediss?:\/\//.test(redisUrl))
    throw new WorkerConfigError(`${PORT_WORKER_ENV.redisUrl} must be a redis:// or rediss:// URL`);
  const redisPrefix = env[PORT_WORKER_ENV.redisPrefix] ?? '';
  if (!PREFIX.test(redisPrefix))
    throw new WorkerConfigError(`${PORT_WORKER_ENV.redisPrefix} may hold only letters, digits and _.:- (at most 64)`);
  const hostId = env[PORT_WORKER_ENV.hostId];
  if (!hostId || !HOST_ID.test(hostId))
    throw new WorkerConfigError(`${PORT_WORKER_ENV.hostId} must be set to the host's id`);
  let controlKey: ControlKey;
  try {
    controlKey = controlKeyFromHex(env[PORT_WORKER_ENV.controlKey] ?? '');
  } catch {
    throw new WorkerConfigError(`${PORT_WORKER_ENV.controlKey} must be 64 lowercase hex digits`);
  }
  const level = (env[PORT_WORKER_ENV.logLevel] ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(level))
    throw new WorkerConfigError(`${PORT_WORKER_ENV.logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
  return { spec, redisUrl, redisPrefix, hostId, controlKey, logLevel: level as LogLevel };
}

/** The process's own configuration. */
export function workerConfigFromProcess(): WorkerConfig {
  return parseWorkerConfig(process.argv.slice(2), process.env);
}
