/**
 * Farm benchmark (not in CI): `npm run bench:farm [-- --quick | --printers N --clients N --seconds N --stops N]`.
 *
 * The whole farm on this machine: the manager in its own process (fresh
 * database and Redis prefix), the host agent, one port worker per printer
 * (compiled JS, as production runs them) and N virtual printers on real
 * pseudo-terminals, with M WebSocket dashboard clients. Two windows side by
 * side: the farm idle (connected, 1 Hz temperatures), then every printer
 * streaming a sliced file. In each: event latency worker → client, manager
 * CPU, memory per port worker, and emergency-stop latency from the API call
 * to M112 at the printer. Everything started is stopped, and the database
 * and Redis keys removed, on success, failure or Ctrl-C.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './support/bundle.js';
import { Redis } from 'ioredis';
import { liveKeys, type HostStatus } from '@farm/contracts';
import { sampleEmergencyStop, type StopSample } from './farm/estop.js';
import { benchProfile, startFarm, type FarmProcesses } from './farm/farm-setup.js';
import { startDashboardClients, type DashboardClients } from './farm/clients.js';
import { parseBenchOptions, USAGE, type BenchOptions } from './farm/options.js';
import { writeBenchGcode } from './farm/print-file.js';
import { CpuMeter, MachineCpuMeter, memoryOf } from './farm/proc-stats.js';
import { ProcessSet } from './farm/processes.js';
import { reportTable, type PhaseResult } from './farm/report.js';
import { raiseSimulatorPriority } from './support/simulator-priority.js';
import { createBenchServices, type BenchServices } from './farm/services.js';
import { FarmTracker } from './farm/tracker.js';
import { startVirtualPrinters, type VirtualPrinters } from './farm/virtual-printers.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/farm-bench-farm');
const CORPUS = join(ROOT, '../shared/gcode/prusaslicer-2.5.0_mk3s_sphere-supports.gcode');
const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const EXIT_WITH_PARENT_TS = join(ROOT, 'apps/worker/src/agent/runtime/exit-with-parent.ts');

const log = (line: string) => process.stderr.write(`[bench:farm] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const processes = new ProcessSet();
let services: BenchServices | undefined;
let workDir: string | undefined;
let cleaning: Promise<void> | undefined;

/** Stops everything this run started and removes its data; runs once. */
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    await processes.stopAll();
    await services?.remove().catch((error: unknown) => log(`could not remove the bench database or keys: ${String(error)}`));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.on('exit', () => processes.killAllNow());

async function run(options: BenchOptions): Promise<string> {
  await bundleForNode({ 'streaming-worker': join(ROOT, 'bench/farm/streaming-worker.ts'), 'exit-with-parent': EXIT_WITH_PARENT_TS }, OUT);
  workDir = await mkdtemp(join(tmpdir(), 'farm-bench-farm-'));
  const gcode = join(workDir, 'bench.gcode');
  const streamFlag = join(workDir, 'stream');
  await writeBenchGcode(CORPUS, options.gcodeLines, gcode);
  services = await createBenchServices(PG_ADMIN_URL, REDIS_URL);
  log(`database and Redis prefix ${services.redisPrefix}`);

  const printers = await startVirtualPrinters(processes, {
    repoRoot: ROOT,
    exitWithParent: EXIT_WITH_PARENT_TS,
    dir: workDir,
    count: options.printers,
    args: ['--baud', '250000', '--latency-ms', '16', '--advanced-ok', '--emergency-parser', '--no-executed'],
  });
  const priorityNote = raiseSimulatorPriority(printers.process.pid);
  log(`${options.printers} virtual printers ready${priorityNote ? `; ${priorityNote}` : ' (raised priority)'}`);
  const farm = await startFarm(processes, {
    repoRoot: ROOT,
    exitWithParent: EXIT_WITH_PARENT_TS,
    dir: workDir,
    services,
    printerPaths: printers.paths,
    workerCommand: [process.execPath, ...(process.env.BENCH_WORKER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_WORKER_PROF}`] : []), '--import', join(OUT, 'exit-with-parent.mjs'), join(OUT, 'streaming-worker.mjs'), '--stream-flag', streamFlag, '--gcode', gcode, '{spec}'],
    profile: benchProfile(128),
    log,
  });
  log('every printer connected and idle');

  const tracker = new FarmTracker();
  const clients = await startDashboardClients(processes, farm.api, { count: options.clients, repoRoot: ROOT, follow: (message) => tracker.handle(message) });
  await tracker.waitForAll(farm.printerIds, 'idle', 30_000);
  const benchServices = services;
  const workerPids = () => workerPidsOf(benchServices, farm);
  log(`${options.clients} clients connected; measuring the idle farm for ${options.seconds} s`);

  const benchCpu = new CpuMeter(clients.pid ?? process.pid);
  benchCpu.start();
  const idle = await measureWindow('idle', options, farm, printers, tracker, clients, workerPids, 'idle');

  await writeFile(streamFlag, '');
  await tracker.waitForAll(farm.printerIds, 'printing', 60_000);
  await sleep(3_000); // past the start of every print
  log(`every printer streaming; measuring for ${options.seconds} s`);
  const streaming = await measureWindow('streaming', options, farm, printers, tracker, clients, workerPids, 'printing');

  const clientsCpuPercent = benchCpu.percent();
  const { recorder, unexpectedCloses } = await clients.report();
  for (const phase of [idle, streaming]) {
    phase.result.stateLatencies = recorder.samples(phase.name, 'state');
    phase.result.temperatureLatencies = recorder.samples(phase.name, 'temperature');
  }
  await farm.agent.stop();
  const stats = await printers.stop();
  return reportTable({
    priorityNote,
    options,
    idle: idle.result,
    streaming: streaming.result,
    underrunMs: stats.map((s) => s?.underrun.totalMs ?? Number.NaN),
    underrunEpisodes: stats.map((s) => s?.underrun.episodes ?? Number.NaN),
    simulatorLateWakes: stats.map((s) => s?.simulator.lateWakes ?? Number.NaN),
    simulatorMaxLateMs: stats.map((s) => s?.simulator.maxLateMs ?? Number.NaN),
    unexpectedCloses,
    clientsCpuPercent,
  });
}

/** One window: events, CPU and memory over `seconds`, then the emergency-stop samples. */
async function measureWindow(
  phase: 'idle' | 'streaming',
  options: BenchOptions,
  farm: FarmProcesses,
  printers: VirtualPrinters,
  tracker: FarmTracker,
  clients: DashboardClients,
  workerPids: () => Promise<number[]>,
  steady: 'idle' | 'printing',
): Promise<{ name: string; result: PhaseResult }> {
  const managerCpu = new CpuMeter(farm.manager.pid);
  const printersCpu = new CpuMeter(printers.process.pid);
  const machineCpu = new MachineCpuMeter();
  const pidsAtStart = await workerPids();
  const workersCpu = pidsAtStart.map((pid) => new CpuMeter(pid));
  const linesAtStart = farm.printerIds.map((id) => tracker.linesDone(id));
  clients.setPhase(phase);
  for (const meter of [managerCpu, printersCpu, machineCpu, ...workersCpu]) meter.start();
  await sleep(options.seconds * 1000);
  clients.setPhase(undefined);
  const memory = (await workerPids()).map(memoryOf);
  const result: PhaseResult = {
    seconds: options.seconds,
    // Filled in from every client once the run is over.
    stateLatencies: [],
    temperatureLatencies: [],
    managerCpuPercent: managerCpu.percent(),
    printersCpuPercent: printersCpu.percent(),
    workerCpuPercent: workersCpu.map((meter) => meter.percent()),
    machineCpuPercent: machineCpu.percent(),
    managerRssMb: memoryOf(farm.manager.pid)?.rssMb ?? Number.NaN,
    agentRssMb: memoryOf(farm.agent.pid)?.rssMb ?? Number.NaN,
    workerRssMb: memory.flatMap((m) => (m ? [m.rssMb] : [])),
    workerPeakRssMb: memory.flatMap((m) => (m ? [m.peakRssMb] : [])),
    printing: tracker.count('printing', farm.printerIds),
    linesPerSecond: farm.printerIds.map((id, i) => (tracker.linesDone(id) - linesAtStart[i]!) / options.seconds),
    stops: [],
  };
  const count = phase === 'idle' ? options.idleStops : options.streamingStops;
  log(`${phase}: ${count} emergency stops`);
  for (let i = 0; i < count; i++) {
    const index = i % farm.printerIds.length;
    // A short random pause, so stops do not line up with the printers' 1 s temperature reports.
    await sleep(200 + Math.random() * 800);
    const sample: StopSample = await sampleEmergencyStop(farm.api, printers, tracker, index, farm.printerIds[index]!, steady);
    result.stops.push(sample);
  }
  log(`${phase}: emergency stop p50 ${median(result.stops.map((s) => s.wireMs)).toFixed(0)} ms`);
  return { name: phase, result };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** The port workers' pids, from the host agent's status in Redis, by printer. */
async function workerPidsOf(benchServices: BenchServices, farm: FarmProcesses): Promise<number[]> {
  const redis = new Redis(benchServices.redisUrl);
  try {
    const text = await redis.get(liveKeys(benchServices.redisPrefix).hostStatus(farm.hostId));
    if (!text) throw new Error('the host agent has not reported its workers');
    const status = JSON.parse(text) as HostStatus;
    return farm.printerIds.map((id) => {
      const pid = status.workers.find((w) => w.printerId === id)?.pid;
      if (pid === undefined) throw new Error(`no worker pid for printer ${id}`);
      return pid;
    });
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<number> {
  const options = parseBenchOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const table = await run(options);
    process.stdout.write(`${table}\n`);
    return 0;
  } catch (error) {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    for (const proc of processes.running()) log(`last output of ${proc.name}:\n${proc.tail().split('\n').slice(-15).join('\n')}`);
    return 1;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${String(error)}`);
    process.exit(1);
  },
);
