/**
 * Temperature reports, from M105 replies and auto-reports.
 *
 *   Marlin       ` T:25.00 /0.00 B:25.00 /0.00 @:0 B@:0`
 *   Marlin M109  ` T:198.95 /200.00 B:25.00 /0.00 @:75 B@:0 W:9`   (W:? before residency starts)
 *   Marlin ok    `ok T:199.57 /200.00 B:25.00 /0.00 @:74 B@:0`
 *   multi-tool   `ok T:210.0 /210.0 T0:210.0 /210.0 T1:25.0 /0.0 B:60.0 /60.0 @:127 B@:0 @0:127 @1:0`
 *   Prusa        `T:24.7 /0.0 B:24.3 /0.0 T0:24.7 /0.0 @:0 B@:0 P:23.6 A:31.9`
 *   RRF          `ok T:22.9 /0.0 B:23.1 /0.0 T0:22.9 /0.0 C:21.0 /0.0`
 *   Klipper      `ok B:22.0 /0.0 T0:22.1 /0.0` and, while not ready, `ok T:0`
 *   Smoothie     `ok T:21.3 /0.0 @0 B:21.1 /0.0 @0`  (`@0` without colon carries nothing)
 *
 * The first occurrence of a sensor wins. `T` alone is the active tool; `T`
 * next to `T0..` duplicates one of them and is dropped; `T` next to `T1..`
 * without `T0` (Smoothieware) is `T0`.
 */
export interface HeaterReading {
  actual: number;
  /** null when the report carries no target for this sensor (P:, A:, `ok T:0`). */
  target: number | null;
}

export interface TemperatureReport {
  /** Keyed `T0`..`Tn`, `B`, `C`, `P` (Prusa PINDA), `A` (ambient), or the firmware's own sensor name. */
  heaters: Record<string, HeaterReading>;
  /** Heater power as the firmware reports it (`@:` → active tool, `@0:`, `B@:`; Marlin 0–127). */
  power: Record<string, number>;
  /** M109/M190 residency countdown in seconds from `W:`; null for `W:?`; absent when not reported. */
  residencySeconds?: number | null;
}

const TOKEN = /(?:^|\s)([A-Za-z][A-Za-z0-9]*@|@\d*|[A-Za-z][A-Za-z0-9_]*)\s*:\s*(-?\d+(?:\.\d+)?|\?)(?:\s*\/\s*(-?\d+(?:\.\d+)?))?/g;

/** True for lines that are temperature reports (not M114's `Count A: B:` lines). */
export function isTemperatureLine(line: string): boolean {
  const text = stripOk(line);
  if (/(?:^|\s)T\d*:/.test(text)) return true;
  return /(?:^|\s)B:/.test(text) && !/(?:^|\s)A:/.test(text) && !/Count/.test(text);
}

export function parseTemperatures(line: string, activeTool = 0): TemperatureReport | null {
  if (!isTemperatureLine(line)) return null;
  const raw: Record<string, HeaterReading> = {};
  const rawPower: Record<string, number> = {};
  let residency: number | null | undefined;
  for (const match of stripOk(line).matchAll(TOKEN)) {
    const [, name = '', value = '', target] = match;
    if (name.includes('@')) {
      if (value !== '?' && !(name in rawPower)) rawPower[name] = Number(value);
    } else if (name === 'W') {
      if (residency === undefined) residency = value === '?' ? null : Number(value);
    } else if (value !== '?' && !(name in raw)) {
      raw[name] = { actual: Number(value), target: target === undefined ? null : Number(target) };
    }
  }
  const report: TemperatureReport = { heaters: canonicalHeaters(raw, activeTool), power: canonicalPower(rawPower, raw, activeTool) };
  if (residency !== undefined) report.residencySeconds = residency;
  return report;
}

function canonicalHeaters(raw: Record<string, HeaterReading>, activeTool: number): Record<string, HeaterReading> {
  const out: Record<string, HeaterReading> = {};
  const numbered = Object.keys(raw).filter((key) => /^T\d+$/.test(key));
  for (const [key, reading] of Object.entries(raw)) {
    if (key !== 'T') out[key] = reading;
  }
  const plain = raw.T;
  if (plain) {
    if (numbered.length === 0) out[`T${activeTool}`] = plain;
    else if (!('T0' in raw) && numbered.length > 0) out.T0 = plain;
    else if (!(`T${activeTool}` in raw)) out[`T${activeTool}`] = plain;
  }
  return out;
}

function canonicalPower(raw: Record<string, number>, heaters: Record<string, HeaterReading>, activeTool: number): Record<string, number> {
  const out: Record<string, number> = {};
  const smoothieT0 = 'T' in heaters && !('T0' in heaters) && Object.keys(heaters).some((key) => /^T\d+$/.test(key));
  for (const [name, value] of Object.entries(raw)) {
    if (name === '@') {
      const key = smoothieT0 ? 'T0' : `T${activeTool}`;
      if (!(key in out)) out[key] = value;
    } else if (/^@\d+$/.test(name)) out[`T${name.slice(1)}`] = value;
    else out[name.slice(0, -1)] = value;
  }
  return out;
}

function stripOk(line: string): string {
  return line.replace(/^ok\b\s*/, '');
}
