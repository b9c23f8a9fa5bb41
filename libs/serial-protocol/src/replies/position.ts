/**
 * Position reports (M114 replies and M154 auto-reports).
 *
 *   Marlin   `X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0`
 *   spaced   `X: 10.00 Y: 20.00 Z: 0.30 E: 1.20 Count X: 800 Y: 1600 Z: 120`
 *   RRF      `X:0.000 Y:0.000 Z:0.000 E0:0.0 E1:0.0 Count 0 0 0 Machine 0.000 0.000 0.000 Bed comp 0.000`
 *   Klipper  `ok X:0.000 Y:0.000 Z:0.000 E:0.000`
 *
 * Only the logical position before `Count` is read.
 */
export interface PositionReport {
  x: number;
  y: number;
  z: number;
  /** Extruder position (`E:` or `E0:`), absent when not reported. */
  e?: number;
  /** Every axis as reported, e.g. `E1` of a second extruder or `A` of a 4-axis machine. */
  axes: Record<string, number>;
}

const AXIS = /([A-Z]\d*):\s*(-?\d+(?:\.\d+)?)/g;

export function parsePosition(line: string): PositionReport | null {
  const text = line.replace(/^ok\b\s*/, '');
  if (!/^X:\s*-?\d/.test(text)) return null;
  const logical = text.split(/\sCount\b/)[0] ?? text;
  const axes: Record<string, number> = {};
  for (const [, name = '', value = ''] of logical.matchAll(AXIS)) {
    if (!(name in axes)) axes[name] = Number(value);
  }
  const { X: x, Y: y, Z: z } = axes;
  if (x === undefined || y === undefined || z === undefined) return null;
  const report: PositionReport = { x, y, z, axes };
  const e = axes.E ?? axes.E0;
  if (e !== undefined) report.e = e;
  return report;
}
