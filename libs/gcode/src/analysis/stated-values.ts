/**
 * Parsers for the value formats slicers write in their comments.
 */

/**
 * Durations as slicers print them: PrusaSlicer/Orca/Bambu `1d 1h 2m 59s`,
 * `0.815957s`, Simplify3D `1 hours 37 minutes`, plain seconds `1043.45`.
 */
export function parseDuration(text: string): number | null {
  const trimmed = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  const unit = /(\d+(?:\.\d+)?)\s*(d|h|m|s|days?|hours?|minutes?|mins?|seconds?|secs?)\b/gi;
  let total = 0;
  let found = false;
  for (const match of trimmed.matchAll(unit)) {
    const n = Number(match[1]);
    const u = (match[2] ?? '').toLowerCase();
    found = true;
    if (u.startsWith('d')) total += n * 86400;
    else if (u.startsWith('h')) total += n * 3600;
    else if (u.startsWith('m')) total += n * 60;
    else total += n;
  }
  return found ? Math.round(total * 1e6) / 1e6 : null;
}

/** `0.00, 32105.52` or `400.85, 0, 98.63` → numbers (per extruder). */
export function parseNumberList(text: string): number[] {
  return text
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number)
    .filter((n) => Number.isFinite(n));
}

/** `PLA;PLA` / `#FF8000;#3EC0FF` → entries, quotes removed. */
export function parseStringList(text: string): string[] {
  return text
    .split(';')
    .map((s) => s.trim().replace(/^"(.*)"$/, '$1'))
    .filter((s) => s !== '');
}

/** `0x0,250x0,250x210,0x210` → polygon points. */
export function parsePolygon(text: string): Array<[number, number]> | null {
  const points: Array<[number, number]> = [];
  for (const pair of text.split(',')) {
    const m = /^\s*(-?[\d.]+(?:e[+-]?\d+)?)x(-?[\d.]+(?:e[+-]?\d+)?)\s*$/i.exec(pair);
    if (!m) return null;
    points.push([Number(m[1]), Number(m[2])]);
  }
  return points.length >= 3 ? points : null;
}

/** Metres → millimetres without the binary-fraction noise (`1.43915` m → 1439.15, not 1439.1499999). */
export function metresToMm(m: number): number {
  return Math.round(m * 1e9) / 1e6;
}
