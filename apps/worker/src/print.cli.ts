/**
 * `npm run print -- --port PATH|tcp://host:port --baud N [options] FILE`:
 * connects, prints one file, shows progress and ends with a one-line
 * summary (lines, seconds, lines/s, resends, result). Exit status: 0 when
 * the print completed, 1 when it did not, 2 for a usage error. Useful on its
 * own like Printrun's printcore; the streaming benchmark runs it too.
 */
import { performance } from 'node:perf_hooks';
import { createLineGuard } from '@farm/gcode';
import type { Counters, JobResult } from '@farm/serial-protocol';
import { PortWorker, type PortWorkerEvent } from './port/port-worker.js';
import { parsePrintArgs, UsageError, USAGE, type PrintArgs } from './print/print-args.js';
import { linesOf, summaryLine, type PrintSummary } from './print/print-summary.js';
import { ProgressDisplay } from './print/progress-display.js';
import { safetyProfileFromFlags } from './print/safety-flags.js';

async function main(argv: readonly string[]): Promise<number> {
  let args: PrintArgs;
  try {
    args = parsePrintArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }

  const profile = safetyProfileFromFlags(args);
  // Every line of this link is held to the file policy: file lines and the
  // engine's own commands alike, temperature caps always.
  const guard = createLineGuard(profile, { actor: 'file', printerIdle: false, firmwareFlashAllowed: false });
  const showProgress = !args.quiet;
  const display = new ProgressDisplay({ isTty: process.stderr.isTTY === true, write: (text) => process.stderr.write(text) });
  let counters: Counters | undefined;
  let acknowledgedLines = 0;
  let jobStartedAt = 0;

  const onEvent = (event: PortWorkerEvent): void => {
    switch (event.type) {
      case 'transport.note':
        if (showProgress) process.stderr.write(`note: ${event.text}\n`);
        return;
      case 'transport.lost':
        process.stderr.write(`\nport lost: ${event.cause}\n`);
        return;
      case 'firmware.info':
        if (showProgress) process.stderr.write(`connected: ${event.firmware.name || 'unknown firmware'}, ${event.flow} flow control\n`);
        return;
      case 'counters':
        counters = event.counters;
        return;
      case 'job.progress':
        acknowledgedLines = event.acknowledgedLines;
        if (showProgress)
          display.update(
            { lines: event.acknowledgedLines, bytes: event.at.byteOffset, totalBytes: event.totalBytes ?? 0, resends: counters?.resends ?? 0 },
            performance.now() - jobStartedAt,
          );
        return;
      case 'error':
        // The reset that opening the port causes is expected; warnings matter once the job runs.
        if (event.fatal || (showProgress && jobStartedAt > 0)) process.stderr.write(`\n${event.fatal ? 'error' : 'warning'}: ${event.message} (${event.code})\n`);
        return;
      default:
        return;
    }
  };

  const bootWait = args.bootWaitMs !== undefined ? { bootWaitMs: args.bootWaitMs } : {};
  const rxBuffer = args.rxBufferBytes !== undefined ? { rxBufferBytes: args.rxBufferBytes } : {};
  let worker: PortWorker;
  try {
    worker = await PortWorker.open(
      { port: args.port, baudRate: args.baudRate, guard, link: { flowControl: args.flow, ...rxBuffer, ...bootWait }, directIo: !args.threadPoolIo },
      onEvent,
    );
    await worker.waitReady();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    finish(args, { ...emptySummary(), result: 'not_connected', reason: message, ...(typeof code === 'string' ? { code } : {}) });
    return 1;
  }

  let interrupts = 0;
  const onSignal = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ncancelling (press Ctrl-C again to stop at once)\n');
      worker.cancel();
    } else {
      worker.emergencyStop();
    }
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  jobStartedAt = performance.now();
  let result: JobResult;
  try {
    result = await worker.print({ id: 'print-cli', path: args.file });
  } catch (error) {
    await worker.close();
    finish(args, { ...emptySummary(), result: 'failed', reason: error instanceof Error ? error.message : String(error) });
    return 1;
  }
  const seconds = (performance.now() - jobStartedAt) / 1000;
  display.finish();
  const flow = worker.flowControl;
  await worker.close();

  const lines = linesOf(result, acknowledgedLines);
  const summary: PrintSummary = {
    ...emptySummary(),
    result: result.status,
    lines,
    seconds,
    linesPerSecond: seconds > 0 ? lines / seconds : 0,
    resends: counters?.resends ?? 0,
    timeouts: counters?.timeouts ?? 0,
    flow,
  };
  if (result.status === 'failed' || result.status === 'interrupted') {
    summary.code = result.code;
    summary.reason = result.reason;
    summary.stoppedAt = result.at;
  }
  finish(args, summary);
  return result.status === 'completed' ? 0 : 1;
}

function emptySummary(): PrintSummary {
  return { result: 'failed', lines: 0, seconds: 0, linesPerSecond: 0, resends: 0, timeouts: 0, flow: null, cpuSeconds: 0, maxRssMb: 0 };
}

function finish(args: PrintArgs, summary: PrintSummary): void {
  const usage = process.resourceUsage();
  summary.cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
  summary.maxRssMb = usage.maxRSS / 1024;
  process.stdout.write(args.json ? `${JSON.stringify(summary)}\n` : `${summaryLine(summary)}\n`);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`print failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
