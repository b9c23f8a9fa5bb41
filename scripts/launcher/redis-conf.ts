// The redis.conf the launcher writes for a local Redis. Pure. Redis listens on
// loopback only, needs a password, denies dangerous commands (as in
// docker-compose.yml, so development meets the same limits), and never evicts
// keys: BullMQ loses jobs under any other eviction policy.
import { appUserRules } from './redis-acl.js';

export interface RedisConfOptions {
  port: number;
  /** Working folder: the append-only file and snapshots live here. */
  dir: string;
  pidFile: string;
  password: string;
}

export function renderRedisConf(options: RedisConfOptions): string {
  return [
    '# Written by `npm start` at every start; edits are overwritten.',
    'bind 127.0.0.1',
    `port ${options.port}`,
    'protected-mode yes',
    'daemonize no',
    `dir ${quote(options.dir)}`,
    `pidfile ${quote(options.pidFile)}`,
    'logfile ""',
    'loglevel warning',
    'maxmemory-policy noeviction',
    'appendonly yes',
    'appendfsync everysec',
    // The default user is the farm's: `redis://:PASSWORD@host:port` logs in as it.
    `user default ${appUserRules(options.password).join(' ')}`,
    '',
  ].join('\n');
}

// redis.conf strings: double quotes with backslash escapes. A line break cannot
// be expressed safely, so it is refused rather than written.
function quote(value: string): string {
  if (/[\r\n\0]/.test(value))
    throw new Error(`refusing to write a line break into redis.conf: ${JSON.stringify(value)}`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}
