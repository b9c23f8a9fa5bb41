import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeBgcode } from '../bgcode/index.js';
import { cleanLine, parseWords } from '../line/index.js';
import { firmwareForFlavour } from './motion-limits.js';
import { PrintTimeEstimator } from './print-time-estimator.js';
import { motionLimitsFromSlicerConfig, readSlicerConfigLine } from './slicer-config-limits.js';

/**
 * Our estimate against each corpus file's own normal-mode estimate. The
 * slicers model motion differently (and Cura-based ones assume their own
 * machine profile), so the rule is the issue's: within 10 % on at least 90 %
 * of the files. Limits: what the file sets in its G-code, the PrusaSlicer /
 * Orca config block's machine limits when present (the profile the slicer
 * itself estimated with), else the flavour's defaults.
 */
const CORPUS = fileURLToPath(new URL('../../../../../shared/gcode/', import.meta.url));

interface Row {
  file: string;
  stated: number;
  estimated: number;
  error: number;
}

/** Slicer-stated normal-mode time in seconds, in any of the corpus formats. */
function statedSeconds(lines: readonly string[]): number | undefined {
  for (const line of lines) {
    const prusa = /^;?\s*estimated printing time \(normal mode\)\s*=\s*(.+)$/.exec(line);
    if (prusa?.[1] !== undefined) return durationSeconds(prusa[1]);
    const cura = /^;(?:TIME|Print Time):\s*([\d.]+)\s*$/.exec(line);
    if (cura?.[1] !== undefined) return Number(cura[1]);
  }
  return undefined;
}

function durationSeconds(text: string): number {
  const unit: Record<string, number> = { d: 86400, h: 3600, m: 60, s: 1 };
  let seconds = 0;
  for (const [, n, u] of text.matchAll(/(\d+)\s*([dhms])/g)) seconds += Number(n) * (unit[u ?? 's'] ?? 0);
  return seconds;
}

function flavourOf(lines: readonly string[]): string | undefined {
  for (const line of lines) {
    const match = /^;\s*(?:gcode_flavor\s*=|FLAVOR:|Firmware:)\s*(.+?)\s*$/.exec(line);
    if (match?.[1] !== undefined) return match[1];
  }
  return undefined;
}

function estimate(lines: readonly string[], config: Map<string, string>): number {
  const estimator = new PrintTimeEstimator({
    firmware: firmwareForFlavour(config.get('gcode_flavor') ?? flavourOf(lines)),
    ...motionLimitsFromSlicerConfig(config),
  });
  for (const raw of lines) {
    const line = cleanLine(raw);
    if (line) estimator.feed(parseWords(line));
  }
  return estimator.finish().seconds;
}

function textRow(file: string): Row | null {
  const lines = readFileSync(CORPUS + file, 'utf8').split(/\r?\n|\r/);
  const stated = statedSeconds(lines);
  if (stated === undefined) return null;
  const config = new Map<string, string>();
  for (const line of lines) if (line.startsWith(';')) readSlicerConfigLine(line, config);
  const estimated = estimate(lines, config);
  return { file, stated, estimated, error: estimated / stated - 1 };
}

async function binaryRow(file: string): Promise<Row | null> {
  const config = new Map<string, string>();
  let text = '';
  let stated: number | undefined;
  for await (const item of decodeBgcode([new Uint8Array(readFileSync(CORPUS + file))])) {
    if (item.kind === 'gcode') text += item.text;
    else if (item.kind === 'metadata') {
      for (const [key, value] of Object.entries(item.entries)) config.set(key, value);
      const normal = item.entries['estimated printing time (normal mode)'];
      if (item.section === 'print' && normal !== undefined) stated = durationSeconds(normal);
    }
  }
  if (stated === undefined) return null;
  const estimated = estimate(text.split('\n'), config);
  return { file, stated, estimated, error: estimated / stated - 1 };
}

describe('print time estimate on the corpus', () => {
  it('is within 10 % of the slicer’s stated normal-mode time on at least 90 % of the files', async () => {
    const rows: Row[] = [];
    for (const file of readdirSync(CORPUS).sort()) {
      const row = file.endsWith('.bgcode') ? await binaryRow(file) : file.endsWith('.gcode') ? textRow(file) : null;
      if (row) rows.push(row);
    }
    const table = rows.map(
      (r) =>
        `${r.file.padEnd(60)} ${r.stated.toFixed(0).padStart(7)} s ${r.estimated.toFixed(0).padStart(7)} s ` +
        `${(r.error * 100).toFixed(1).padStart(6)} %${Math.abs(r.error) <= 0.1 ? '' : '  (over 10 %)'}`,
    );
    console.log(['file'.padEnd(60) + '  stated  estimate   error', ...table].join('\n'));

    expect(rows.length).toBeGreaterThanOrEqual(14);
    const within = rows.filter((r) => Math.abs(r.error) <= 0.1).length;
    expect(within / rows.length).toBeGreaterThanOrEqual(0.9);
  }, 60_000);
});
