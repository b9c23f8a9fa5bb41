/**
 * npm run bench:analysis — streaming analysis throughput per corpus file and on the ~79 MB file.
 *
 * Each measurement runs in a fresh child process so its peak RSS is its own. Throughput is
 * MB per CPU-second of that process (user + system), the best of three passes, which is
 * "MB/s on one core" even on a busy machine; wall-clock MB/s is shown too. `wc -l` runs on
 * the same file in the same run as the yardstick. Not part of CI.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeFile } from '../libs/gcode/src/analysis/index.js';

const CORPUS = fileURLToPath(new URL('../../shared/gcode/', import.meta.url));
const LARGE_DIR = `${process.env.TMPDIR ?? '/tmp'}/gcode-corpus-large`;
const LARGE = `${LARGE_DIR}/prusaslicer-2.5.0_mk3s_m3x10-screw-x14_0.10mm.gcode`;
const FALLBACK = `${LARGE_DIR}/fallback_sphere-supports-x7.gcode`;
const PASSES = 3;

interface Measurement {
  cpuSeconds: number;
  wallSeconds: number;
  maxRssMb: number;
  estimateSeconds: number | null;
  statedSeconds: number | null;
}

/** Child mode: analyse one file PASSES times, print the best pass and the peak RSS. */
async function measure(file: string, withEstimate: boolean): Promise<Measurement> {
  // Warm the JIT on another file first, so small files show steady-state speed, not compile time.
  for (let k = 0; k < 2; k++)
    await analyzeFile(`${CORPUS}prusaslicer-2.6.1_mini_3dbenchy.gcode`, withEstimate ? {} : { estimator: null });
  let best: Measurement | null = null;
  for (let k = 0; k < PASSES; k++) {
    const cpu = process.cpuUsage();
    const wall = performance.now();
    const a = await analyzeFile(file, withEstimate ? {} : { estimator: null });
    const used = process.cpuUsage(cpu);
    const m: Measurement = {
      cpuSeconds: (used.user + used.system) / 1e6,
      wallSeconds: (performance.now() - wall) / 1000,
      maxRssMb: 0,
      estimateSeconds: a.time.estimate?.seconds ?? null,
      statedSeconds: a.time.stated.normalSeconds,
    };
    if (!best || m.cpuSeconds < best.cpuSeconds) best = m;
  }
  return { ...(best as Measurement), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

function runChild(file: string, withEstimate: boolean): Measurement {
  const out = execFileSync(
    process.execPath,
    [...process.execArgv, fileURLToPath(import.meta.url), '--one', file, withEstimate ? 'estimate' : 'plain'],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as Measurement;
}

function wcLines(file: string): { seconds: number; lines: number } {
  let best = Infinity;
  let lines = 0;
  for (let k = 0; k < PASSES; k++) {
    const t = performance.now();
    const r = spawnSync('wc', ['-l', file], { encoding: 'utf8' });
    best = Math.min(best, (performance.now() - t) / 1000);
    lines = Number(r.stdout.trim().split(/\s+/)[0]);
  }
  return { seconds: best, lines };
}

/** The large case: make-large.sh when PrusaSlicer is installed, else the sphere file ×7 (same slicer, similar size). */
function largeFile(): { path: string; note: string; copies: number } {
  if (existsSync(LARGE)) return { path: LARGE, note: 'make-large.sh output (already present)', copies: 1 };
  const hasSlicer = spawnSync('sh', ['-c', 'command -v prusa-slicer'], { encoding: 'utf8' }).status === 0;
  if (hasSlicer) {
    const t = performance.now();
    const r = spawnSync(`${CORPUS}make-large.sh`, [LARGE], { stdio: 'inherit' });
    const seconds = ((performance.now() - t) / 1000).toFixed(0);
    if (r.status === 0 || r.status === 2)
      return {
        path: LARGE,
        note: `make-large.sh (took ${seconds} s${r.status === 2 ? ', sha256 MISMATCH' : ''})`,
        copies: 1,
      };
  }
  if (!existsSync(FALLBACK)) {
    mkdirSync(LARGE_DIR, { recursive: true });
    const sphere = readFileSync(`${CORPUS}prusaslicer-2.5.0_mk3s_sphere-supports.gcode`);
    writeFileSync(FALLBACK, Buffer.concat(Array.from({ length: 7 }, () => sphere)));
  }
  return {
    path: FALLBACK,
    note: 'prusa-slicer is not installed here, so make-large.sh cannot run: fallback = sphere-supports file concatenated 7 times (its stated time ×7 for the error column)',
    copies: 7,
  };
}

async function main(): Promise<void> {
  const [flag, file, mode] = process.argv.slice(2);
  if (flag === '--one' && file) {
    process.stdout.write(`${JSON.stringify(await measure(file, mode === 'estimate'))}\n`);
    return;
  }
  const large = largeFile();
  const files = [
    ...readdirSync(CORPUS)
      .filter((n) => /\.b?gcode$/.test(n))
      .map((n) => CORPUS + n),
    large.path,
  ];
  const mb = (bytes: number, s: number): string => (bytes / 1e6 / s).toFixed(0);
  const rows = [
    '| file | MB | MB/s (CPU) | MB/s (wall) | `wc -l` MB/s | ratio | peak RSS MB | + estimate MB/s (CPU) | peak RSS MB | estimate vs stated |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const path of files) {
    const bytes = statSync(path).size;
    const wc = wcLines(path);
    const plain = runChild(path, false);
    const est = runChild(path, true);
    const stated = est.statedSeconds === null ? null : est.statedSeconds * (path === large.path ? large.copies : 1);
    const error =
      est.estimateSeconds !== null && stated
        ? `${(((est.estimateSeconds - stated) / stated) * 100).toFixed(1)} %`
        : '—';
    rows.push(
      `| ${path.split('/').pop()} | ${(bytes / 1e6).toFixed(1)} | ${mb(bytes, plain.cpuSeconds)} | ${mb(bytes, plain.wallSeconds)} | ${mb(bytes, wc.seconds)} | ${(wc.seconds / plain.cpuSeconds).toFixed(3)} | ${plain.maxRssMb.toFixed(0)} | ${mb(bytes, est.cpuSeconds)} | ${est.maxRssMb.toFixed(0)} | ${error} |`,
    );
    process.stderr.write('.');
  }
  process.stdout.write(
    `\nLarge file: ${large.note}\nnode ${process.version}, ${PASSES} passes (best), one process per file and mode\n\n${rows.join('\n')}\n`,
  );
}

await main();
