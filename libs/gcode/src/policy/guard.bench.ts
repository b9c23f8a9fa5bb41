/**
 * Rough throughput of the line guard (not part of CI):
 *   npx tsx libs/gcode/src/policy/guard.bench.ts
 * Prints lines/s for plain G1 moves (fast path), for every line of a real
 * sliced file, and for temperature lines (full check).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLineGuard } from './line-guard.js';
import type { SafetyProfile } from './safety-profile.js';

const profile: SafetyProfile = { firmware: 'marlin', heaters: { hotend: { toolCount: 5, maxC: 300 }, bed: { maxC: 120 } } };
const guard = createLineGuard(profile, { actor: 'file', printerIdle: false, firmwareFlashAllowed: false });

function rate(label: string, lines: readonly string[], rounds: number): void {
  let refused = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (const line of lines) if (!guard(line).ok) refused++;
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const total = lines.length * rounds;
  console.log(`${label.padEnd(44)} ${Math.round(total / seconds).toLocaleString('en')} lines/s  (${total.toLocaleString('en')} lines, ${refused} refused)`);
}

const moves = Array.from({ length: 10_000 }, (_, i) => `G1 X${(i % 200) + 0.123} Y${(i % 180) + 0.456} E${(i % 7) / 10 + 0.0321}`);
const framed = moves.map((m, i) => `N${i} ${m}*${i % 256}`);
const file = fileURLToPath(new URL('../../../../../shared/gcode/prusaslicer-2.5.0_mk3s_sphere-supports.gcode', import.meta.url));
const real = readFileSync(file, 'utf8').split('\n');
const temps = Array.from({ length: 10_000 }, (_, i) => `M104 S${200 + (i % 50)} T${i % 5}`);

rate('warm-up', moves, 50);
rate('G1 moves (fast path)', moves, 300);
rate('framed N.. G1 ..*cs moves (fast path)', framed, 300);
rate('real PrusaSlicer file, raw lines w/ comments', real, 5);
rate('M104 lines (full check)', temps, 50);
