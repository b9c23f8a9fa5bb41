/**
 * Bench-only port worker: the same `PortRuntime` that apps/worker/src/port-worker.ts
 * starts, plus a print loop. It stands in for the farm queue (not built yet):
 * while the stream flag file exists and the printer is idle, it prints the
 * bench file through the runtime's queue seam `startPrint`, again and again.
 * An emergency stop ends the running print; once the bench has reconnected
 * the printer (idle again) the loop starts the next one.
 *
 *   node --import <exit-with-parent> streaming-worker.mjs --stream-flag FILE --gcode FILE '<PortWorkerSpec JSON>'
 *
 * Environment and exit codes as the real port worker.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parseWorkerConfig, WorkerConfigError, type WorkerConfig } from '../../apps/worker/src/runtime/config/worker-config.js';
import { createLogger, errorText, type Logger } from '../../apps/worker/src/runtime/logger.js';
import { PortRuntime } from '../../apps/worker/src/runtime/port-runtime.js';

const POLL_MS = 200;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { 'stream-flag': { type: 'string' }, gcode: { type: 'string' } },
  });
  const streamFlag = values['stream-flag'];
  const gcode = values.gcode;
  if (streamFlag === undefined || gcode === undefined) {
    process.stderr.write('streaming-worker: --stream-flag FILE and --gcode FILE are required\n');
    return 2;
  }
  let config: WorkerConfig;
  try {
    config = parseWorkerConfig(positionals, process.env);
  } catch (error) {
    if (!(error instanceof WorkerConfigError)) throw error;
    process.stderr.write(`streaming-worker: ${error.message}\n`);
    return 2;
  }
  const log = createLogger(config.logLevel, { component: 'bench-worker', printerId: config.spec.printerId });
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());

  const runtime = await PortRuntime.start({ config, log });
  const loop = printLoop(runtime, streamFlag, gcode, stop.signal, log);
  await new Promise<void>((resolve) => stop.signal.addEventListener('abort', () => resolve(), { once: true }));
  // Closing the port ends a running print (interrupted), which lets the loop finish.
  try {
    await runtime.shutdown();
    await loop;
    return 0;
  } catch (error) {
    log.error('shutdown failed', { error: errorText(error) });
    return 1;
  }
}

async function printLoop(runtime: PortRuntime, streamFlag: string, gcode: string, signal: AbortSignal, log: Logger): Promise<void> {
  let jobs = 0;
  while (!signal.aborted) {
    if (runtime.state.status !== 'idle' || !existsSync(streamFlag)) {
      await sleep(POLL_MS, signal);
      continue;
    }
    jobs++;
    try {
      const result = await runtime.startPrint({ jobId: `bench-${jobs}`, path: gcode });
      log.info('bench print ended', { job: jobs, status: result.status });
    } catch (error) {
      // Not connected or busy: the state changed under us; look again shortly.
      log.debug('bench print not started', { error: errorText(error) });
      await sleep(POLL_MS, signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`streaming-worker: ${errorText(error)}\n`);
    process.exit(1);
  },
);
