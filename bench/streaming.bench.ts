/**
 * Streaming benchmark (not in CI): `npm run bench:streaming [-- --quick]`.
 *
 * Through real pseudo-terminals (socat) into the virtual printer, it measures
 * for each file × baud × USB latency × host: lines per second, the share of
 * the wire's line rate, and host-caused planner underrun; hosts are our port
 * worker in ping-pong, windowed with the AVR's 127-byte budget, windowed
 * with a 32-bit board's 511-byte budget, and Printrun's printcore on the same
 * file and printer. Then 32 printers stream at once (32 port-worker
 * processes, one simulator process), reporting underruns, CPU and RSS per port
 * worker, against one printer alone on the same file. `--farm-only` skips the
 * host matrix.
 *
 * Our host runs as compiled JS (an esbuild bundle), as in production; the
 * printers whose timing is measured run in this process (nothing else runs
 * here during a measurement), the 32 concurrent ones in a child process.
 * Lines/s comes from the printer's own clock: first to last file command.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from './support/bundle.js';
import { BOARDS, concurrentPrinters, farmRow, farmTableHeader, type Board, type FarmFile, type HostIo } from './streaming/concurrent-printers.js';
import { cleanLine, frameLine } from '@farm/gcode';
import { startVirtualPrinter } from '@farm/virtual-printer';
import { tinySegmentGcode } from '../test/e2e/support/tiny-segments.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = join(ROOT, 'node_modules/.cache/farm-bench');
const WORK = join(tmpdir(), 'farm-bench');
const QUICK = process.argv.includes('--quick');
const SEGMENTS = QUICK ? 300 : 800;
const FARM_ONLY = process.argv.includes('--farm-only');
const FARM_PRINTERS = 32;

type Host = 'pingpong' | 'window-127' | 'window-511' | 'printcore';
const HOSTS: Host[] = ['pingpong', 'window-127', 'window-511', 'printcore'];
const BAUDS = [115200, 250000];
const LATENCIES = [1, 16];

interface BenchFile {
  name: string;
  path: string;
  commands: string[];
  /** Mean bytes of a framed line (`N<n> <cmd>*<cs>\n`) over the file. */
  framedBytes: number;
}

interface Run {
  file: string;
  baud: number;
  latencyMs: number;
  host: Host;
  linesPerSecond: number;
  wirePercent: number;
  underrunMs: number;
  ok: boolean;
  note: string;
}

async function main(): Promise<void> {
  await mkdir(WORK, { recursive: true });
  await bundleForNode({ print: join(ROOT, 'apps/worker/src/print.cli.ts'), vp: join(ROOT, 'libs/virtual-printer/src/cli.ts') }, OUT);
  const files = await benchFiles();
  const matrix = FARM_ONLY ? '' : await hostMatrix(files);
  const farm = await farmSweep(files);
  const report = `${matrix}${farm}`;
  process.stdout.write(report);
  await writeFile(join(WORK, 'report.md'), report);
  process.stderr.write(`report written to ${join(WORK, 'report.md')}\n`);
}

/** Every host on every file × baud × latency, one printer at a time; the tables as markdown. */
async function hostMatrix(files: BenchFile[]): Promise<string> {
  const runs: Run[] = [];
  const ceilings = new Map<string, number>();
  for (const file of files) {
    // What the simulated firmware itself can take: an unpaced link without latency.
    const ceiling = await measure(file, 0, 0, 'window-511');
    ceilings.set(file.name, ceiling.linesPerSecond);
    process.stderr.write(`${file.name}: printer ceiling ${ceiling.linesPerSecond.toFixed(0)} lines/s\n`);
    for (const baud of BAUDS) {
      for (const latencyMs of LATENCIES) {
        for (const host of HOSTS) {
          const run = await measure(file, baud, latencyMs, host);
          runs.push(run);
          process.stderr.write(`${file.name} ${baud} ${latencyMs}ms ${host}: ${run.linesPerSecond.toFixed(0)} lines/s, ${run.wirePercent.toFixed(0)}% of wire, underrun ${run.underrunMs.toFixed(0)} ms ${run.note}\n`);
        }
      }
    }
  }
  const matrix = `${ceilingTable(files, ceilings)}\n\n${matrixTable(runs, ceilings)}\n\n${ratioTable(runs)}\n\n`;
  await writeFile(join(WORK, 'report.md'), matrix);
  return matrix;
}

/**
 * The farm target: 32 printers at once, each file first on one printer alone
 * (the same setup, nothing else running) so the rates compare side by side.
 * Files rise in demand: the real slice (motion-bound), then tiny segments at
 * 100 and 150 lines/s per printer; then the real slice on stock AVR boards,
 * whose 128-byte buffer leaves the host the least slack.
 */
async function farmSweep(files: BenchFile[]): Promise<string> {
  const settings = { printScript: join(OUT, 'print.mjs'), vpScript: join(OUT, 'vp.mjs'), dir: WORK };
  const segments = QUICK ? 1000 : 2000;
  const farmFiles: FarmFile[] = [];
  const sphere = files.find((file) => file.name === 'sphere-slice')!;
  farmFiles.push({ name: sphere.name, path: sphere.path, lines: sphere.commands.length });
  for (const mmPerS of [10, 15]) {
    const file = await benchFile(`circle-0.1mm-${mmPerS}mm-s`, tinySegmentGcode({ segments, feedMmPerMin: mmPerS * 60 }));
    farmFiles.push({ name: file.name, path: file.path, lines: file.commands.length });
  }
  // 32-bit boards on every file; AVR boards on the real slice, stock (128-byte buffer) and with a 512-byte one;
  // the stock AVR case, the tightest, also with serialport's thread-pool I/O, for the comparison.
  const slice = farmFiles[0]!;
  const runs: [FarmFile, Board, HostIo][] = [
    ...farmFiles.map((file): [FarmFile, Board, HostIo] => [file, BOARDS['32bit'], 'direct']),
    [slice, BOARDS.avr, 'direct'],
    [slice, BOARDS.avr, 'thread-pool'],
    [slice, BOARDS.avrBigBuffer, 'direct'],
  ];
  const rows: string[] = [];
  for (const [file, board, io] of runs) {
    for (const count of [1, FARM_PRINTERS]) {
      const row = farmRow(await concurrentPrinters(count, file, board, io, settings));
      rows.push(row);
      process.stderr.write(`${row}\n`);
    }
  }
  return [
    `${FARM_PRINTERS} printers at once: ${FARM_PRINTERS} port-worker processes and one virtual-printer process (raised priority) serving all printers, 250000 baud, 16 ms USB latency, windowed flow control; each file first on one printer alone:`,
    '',
    farmTableHeader(),
    ...rows,
    '',
  ].join('\n');
}

// ── files ────────────────────────────────────────────────────────────────

async function benchFiles(): Promise<BenchFile[]> {
  const out: BenchFile[] = [];
  const add = async (name: string, text: string) => void out.push(await benchFile(name, text));
  // Tiny segments faster than any wire can feed (0.1 mm at 200 mm/s: 2000 segments/s) …
  await add('circle-0.1mm-200mm-s', tinySegmentGcode({ segments: SEGMENTS, feedMmPerMin: 12000 }));
  // … and slow enough for a 250000 baud wire to carry (0.1 mm at 50 mm/s = 500 segments/s of motion).
  await add('circle-0.1mm-50mm-s', tinySegmentGcode({ segments: SEGMENTS, feedMmPerMin: 3000 }));
  // A real sliced file: a run of lines from the middle of the sphere (curved perimeters, supports).
  const sphere = await readFile(join(ROOT, '../shared/gcode/prusaslicer-2.5.0_mk3s_sphere-supports.gcode'), 'utf8');
  const sphereLines = sphere.split('\n').filter((line) => cleanLine(line) !== '' && !/^M(104|109|140|190)\b/.test(cleanLine(line)));
  const start = Math.floor(sphereLines.length / 2);
  // Start where the print is at that line (no travel from the origin): the last X, Y and Z before it.
  const at: Record<string, string> = { X: '0', Y: '0', Z: '0' };
  for (const line of sphereLines.slice(0, start)) {
    if (!/^G[01] /.test(cleanLine(line))) continue;
    for (const match of cleanLine(line).matchAll(/([XYZ])(-?[\d.]+)/g)) at[match[1]!] = match[2]!;
  }
  const slice = sphereLines.slice(start, start + SEGMENTS * 2);
  await add('sphere-slice', ['G90', 'M83', `G92 X${at['X']} Y${at['Y']} Z${at['Z']} E0`, ...slice].join('\n'));
  return out;
}

async function benchFile(name: string, text: string): Promise<BenchFile> {
  const path = join(WORK, `${name}.gcode`);
  await writeFile(path, text);
  const commands = text.split(/\r\n|\r|\n/).map(cleanLine).filter((command) => command !== '');
  const bytes = commands.reduce((sum, command, i) => sum + frameLine(i + 1, command).length + 1, 0);
  return { name, path, commands, framedBytes: bytes / commands.length };
}

// ── one measurement ──────────────────────────────────────────────────────

async function measure(file: BenchFile, baud: number, latencyMs: number, host: Host): Promise<Run> {
  const printer = await startVirtualPrinter({ baud, latencyMs, profile: '32bit', rxBufferSize: 512, advancedOk: true });
  let note = '';
  let ok = false;
  try {
    // A pseudo-terminal ignores the host's baud setting; the printer paces the wire.
    const result = await runHost(host, printer.address, baud === 0 ? 250000 : baud, file.path);
    ok = result.ok;
    note = result.note;
  } finally {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const executed = printer.executed;
  const first = executed.find((entry) => entry.command === file.commands[0]);
  const last = [...executed].reverse().find((entry) => entry.command === file.commands.at(-1));
  const stats = printer.stats();
  await printer.close();
  const seconds = first && last ? (last.at - first.at) / 1000 : Number.NaN;
  const linesPerSecond = (file.commands.length - 1) / seconds;
  const wireLinesPerSecond = baud / 10 / file.framedBytes;
  return {
    file: file.name,
    baud,
    latencyMs,
    host,
    linesPerSecond,
    wirePercent: (100 * linesPerSecond) / wireLinesPerSecond,
    underrunMs: stats.underrun.totalMs,
    ok,
    note,
  };
}

function runHost(host: Host, port: string, baud: number, path: string): Promise<{ ok: boolean; note: string }> {
  const args =
    host === 'printcore'
      ? ['printcore', '-b', String(baud), port, path]
      : [
          process.execPath,
          join(OUT, 'print.mjs'),
          '--port', port, '--baud', String(baud), '--boot-wait', '500', '--json', '--quiet',
          ...(host === 'pingpong' ? ['--flow', 'pingpong'] : ['--flow', 'window', '--rx-buffer', host === 'window-127' ? '127' : '511']),
          path,
        ];
  return new Promise((resolve) => {
    const child = spawn(args[0]!, args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    child.once('exit', (code) => resolve({ ok: code === 0, note: code === 0 ? '' : `(exit ${code}: ${stdout.trim().slice(-200)})` }));
  });
}

// ── tables ───────────────────────────────────────────────────────────────

function ceilingTable(files: BenchFile[], ceilings: Map<string, number>): string {
  const rows = files.map((file) => {
    const wire = (baud: number) => (baud / 10 / file.framedBytes).toFixed(0);
    return `| ${file.name} | ${file.commands.length} | ${file.framedBytes.toFixed(1)} | ${wire(115200)} | ${wire(250000)} | ${(ceilings.get(file.name) ?? 0).toFixed(0)} |`;
  });
  return [
    '| file | lines | bytes per framed line | wire max lines/s at 115200 | at 250000 | printer ceiling lines/s (unpaced, no latency) |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function matrixTable(runs: Run[], ceilings: Map<string, number>): string {
  const rows = runs.map((run) => {
    const achievable = Math.min((100 * run.linesPerSecond) / run.wirePercent, ceilings.get(run.file) ?? Number.POSITIVE_INFINITY);
    const status = run.ok ? '' : ` failed ${run.note}`;
    return `| ${run.file} | ${run.baud} | ${run.latencyMs} | ${run.host} | ${run.linesPerSecond.toFixed(0)} | ${run.wirePercent.toFixed(0)}% | ${((100 * run.linesPerSecond) / achievable).toFixed(0)}% | ${run.underrunMs.toFixed(0)} |${status}`;
  });
  return [
    '| file | baud | USB latency ms | host | lines/s | % of wire line rate | % of min(wire, printer ceiling) | planner underrun ms |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function ratioTable(runs: Run[]): string {
  const rows: string[] = [];
  const key = (run: Run) => `${run.file}|${run.baud}|${run.latencyMs}`;
  for (const base of runs.filter((run) => run.host === 'printcore')) {
    const same = runs.filter((run) => key(run) === key(base));
    const ratio = (host: Host) => {
      const run = same.find((candidate) => candidate.host === host);
      return run ? (run.linesPerSecond / base.linesPerSecond).toFixed(2) : '–';
    };
    rows.push(`| ${base.file} | ${base.baud} | ${base.latencyMs} | ${ratio('pingpong')} | ${ratio('window-127')} | ${ratio('window-511')} |`);
  }
  return ['| file | baud | USB latency ms | ping-pong ÷ printcore | window 127 B ÷ printcore | window 511 B ÷ printcore |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
