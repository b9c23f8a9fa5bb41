/**
 * The host agent process (one per host computer):
 * `node --import tsx apps/worker/src/agent.ts`, configured by environment
 * (see agent/config/agent-config.ts). Exit codes: 0 after SIGTERM/SIGINT,
 * 2 for a bad configuration, 1 for a crash (its port workers and virtual
 * printers then stop themselves: their stdin pipe from the agent closes).
 */
import { Redis } from 'ioredis';
import { AgentConfigError } from './agent/config/agent-config.js';
import { agentConfigFromProcess, inheritedChildEnv } from './agent/config/from-process.js';
import { HostAgent } from './agent/runtime/host-agent.js';
import { HostStatusWriter } from './agent/runtime/host-status.js';
import { createLogger, errorText } from './agent/runtime/logger.js';
import { ManagerClient } from './agent/runtime/manager-client.js';

async function main(): Promise<number> {
  let config;
  try {
    config = agentConfigFromProcess();
  } catch (error) {
    if (error instanceof AgentConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const log = createLogger(config.logLevel);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 2, enableAutoPipelining: false });
  let lastRedisError: string | undefined;
  redis.on('error', (error: unknown) => {
    const text = errorText(error);
    if (text !== lastRedisError) log.warn('redis connection problem', { error: text });
    lastRedisError = text;
  });
  redis.on('ready', () => {
    lastRedisError = undefined;
  });

  const agent = new HostAgent({
    config,
    client: new ManagerClient({ baseUrl: config.managerUrl, hostToken: config.hostToken }),
    status: new HostStatusWriter(redis, config.redisPrefix),
    log,
    childEnv: inheritedChildEnv(),
  });

  const stopped = new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  log.info('host agent starting', { manager: config.managerUrl });
  await agent.start();
  const signal = await stopped;
  log.info('host agent stopping', { signal });
  await agent.stop();
  await redis.quit().catch(() => redis.disconnect());
  log.info('host agent stopped');
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`host agent failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
