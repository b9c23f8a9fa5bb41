/**
 * The port worker process: one printer, one serial stream.
 *
 *   node --import tsx apps/worker/src/port-worker.ts '<PortWorkerSpec JSON>'
 *
 * Environment: REDIS_URL, REDIS_PREFIX, FARM_HOST_ID, FARM_CONTROL_KEY (64
 * hex), LOG_LEVEL. A bad spec or environment exits 2 with the reason on
 * stderr; SIGTERM/SIGINT close the port and report the printer offline, then
 * exit 0. Spawned and supervised by the host agent.
 */
import { workerConfigFromProcess, WorkerConfigError, type WorkerConfig } from './runtime/config/worker-config.js';
import { createLogger, errorText } from './runtime/logger.js';
import { PortRuntime } from './runtime/port-runtime.js';

async function main(): Promise<number> {
  let config: WorkerConfig;
  try {
    config = workerConfigFromProcess();
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    process.stderr.write(`port-worker: ${error.message}\n`);
    return 2;
  }
  const log = createLogger(config.logLevel, { component: 'port-worker', printerId: config.spec.printerId });
  // Signals are caught from the start: a stop during start-up still ends in an orderly shutdown.
  let signalled: (signal: NodeJS.Signals) => void = () => undefined;
  const stopRequested = new Promise<NodeJS.Signals>((resolve) => (signalled = resolve));
  process.once('SIGTERM', () => signalled('SIGTERM'));
  process.once('SIGINT', () => signalled('SIGINT'));

  const runtime = await PortRuntime.start({ config, log });
  log.info('port worker started', { port: config.spec.port });
  const signal = await stopRequested;
  log.info('shutting down', { signal });
  try {
    await runtime.shutdown();
    return 0;
  } catch (error) {
    log.error('shutdown failed', { error: errorText(error) });
    return 1;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`port-worker: ${errorText(error)}\n`);
    process.exit(1);
  },
);
