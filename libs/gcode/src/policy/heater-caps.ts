import type { HeaterRef, SafetyProfile } from './safety-profile.js';

/** Which heater a temperature goes to; `active-tool` = whichever tool is selected (unknown to the host). */
export type HeaterTarget = HeaterRef | { kind: 'active-tool' } | { kind: 'unknown'; label: string };

/** A profile's heater limits, resolved once so per-line checks are lookups. */
export interface HeaterCaps {
  readonly toolCaps: readonly (number | undefined)[];
  /** Strictest cap over all tools: a line without a tool index must be safe for whichever tool is active. */
  readonly activeToolCap: number | undefined;
  readonly bed: number | undefined;
  readonly chamber: number | undefined;
  readonly klipperHeaters: ReadonlyMap<string, HeaterRef>;
  readonly rrfHeaters: ReadonlyMap<number, HeaterRef>;
}

// A cap that is not a positive finite number is no cap at all: the heater counts as unknown.
const validCap = (value: number | undefined): number | undefined =>
  value !== undefined && Number.isFinite(value) && value > 0 ? value : undefined;

export function compileHeaterCaps(profile: SafetyProfile): HeaterCaps {
  const hotend = profile.heaters.hotend;
  const count = Number.isInteger(hotend.toolCount) && hotend.toolCount > 0 ? Math.min(hotend.toolCount, 64) : 0;
  const toolCaps: (number | undefined)[] = [];
  for (let t = 0; t < count; t++) toolCaps.push(validCap(hotend.perToolMaxC?.[t] ?? hotend.maxC));
  const activeToolCap =
    toolCaps.length > 0 && toolCaps.every((c) => c !== undefined) ? Math.min(...(toolCaps as number[])) : undefined;
  const klipperHeaters = new Map<string, HeaterRef>([['heater_bed', { kind: 'bed' }]]);
  for (let t = 0; t < count; t++) klipperHeaters.set(t === 0 ? 'extruder' : `extruder${t}`, { kind: 'hotend', tool: t });
  for (const [name, ref] of Object.entries(profile.klipperHeaters ?? {})) klipperHeaters.set(name, ref);
  const rrfHeaters = new Map<number, HeaterRef>();
  for (const [num, ref] of Object.entries(profile.rrfHeaters ?? {})) rrfHeaters.set(Number(num), ref);
  return {
    toolCaps,
    activeToolCap,
    bed: validCap(profile.heaters.bed?.maxC),
    chamber: validCap(profile.heaters.chamber?.maxC),
    klipperHeaters,
    rrfHeaters,
  };
}

export function capOf(caps: HeaterCaps, target: HeaterTarget): number | undefined {
  switch (target.kind) {
    case 'hotend':
      return caps.toolCaps[target.tool];
    case 'active-tool':
      return caps.activeToolCap;
    case 'bed':
      return caps.bed;
    case 'chamber':
      return caps.chamber;
    case 'unknown':
      return undefined;
  }
}

export function describeTarget(target: HeaterTarget): string {
  switch (target.kind) {
    case 'hotend':
      return `hotend T${target.tool}`;
    case 'active-tool':
      return 'the active hotend';
    case 'bed':
      return 'the bed';
    case 'chamber':
      return 'the chamber';
    case 'unknown':
      return target.label;
  }
}

/** Klipper heater or sensor name (`extruder1`, `heater_bed`, `heater_generic chamber`) → heater. */
export function klipperTarget(caps: HeaterCaps, name: string): HeaterTarget {
  const trimmed = name.trim();
  const direct = caps.klipperHeaters.get(trimmed);
  if (direct) return direct;
  const lastWord = trimmed.split(/\s+/).pop() ?? '';
  return caps.klipperHeaters.get(lastWord) ?? { kind: 'unknown', label: `heater "${trimmed || '(none)'}"` };
}
