import type { CommandWords } from '../line/words.js';
import type { M73Point, PeakTemperatures, RestrictedCommand } from './analysis.types.js';
import type { CommandClassifier } from './analysis.ports.js';

const MAX_OBJECT_NAMES = 1000;
/** Bounds on what a hostile file could otherwise grow without limit. */
const MAX_M73_POINTS = 1000;
const MAX_RESTRICTED_KINDS = 500;
export const MAX_TOOL = 255;

export type ObjectLabelSource = 'exclude-object' | 'm486' | 'printing-object' | 'mesh';
// The labels firmware can act on (cancel an object) come first.
const OBJECT_LABEL_PRIORITY: readonly ObjectLabelSource[] = ['exclude-object', 'm486', 'printing-object', 'mesh'];

/**
 * Facts from the non-motion commands: heater targets, tool selects, M73
 * progress, object labels and the commands the safety policy restricts.
 */
export class CommandFacts {
  readonly hotend: Record<number, number> = {};
  bed: number | null = null;
  chamber: number | null = null;
  readonly toolsUsed = new Set<number>();
  selectCount = 0;
  changeCount = 0;
  private currentTool: number | null = null;
  readonly m73Normal = new Map<number, number | null>();
  readonly m73Silent = new Map<number, number | null>();
  m73Count = 0;
  /** Object names per labelling style; the most precise style present wins in the result. */
  private readonly objectNames = new Map<ObjectLabelSource, Set<string>>();
  private readonly restricted = new Map<string, RestrictedCommand>();

  constructor(private readonly classify: CommandClassifier | null) {}

  /** `tool` is the tool active when the command ran (M104 without T applies to it). */
  command(words: CommandWords, klipper: Map<string, string> | null, line: number, tool: number): void {
    const p = words.params;
    switch (words.name) {
      case 'M104':
      case 'M109':
        this.hotendTarget(num(p.T) ?? tool, num(p.S) ?? num(p.R));
        break;
      case 'M140':
      case 'M190':
        this.bed = peak(this.bed, num(p.S) ?? num(p.R));
        break;
      case 'M141':
      case 'M191':
        this.chamber = peak(this.chamber, num(p.S) ?? num(p.R));
        break;
      case 'G10':
      case 'M568':
        // RepRapFirmware tool temperatures: `G10 P0 S215 R170` (a bare G10 is a firmware retract).
        if (num(p.S) !== null) this.hotendTarget(num(p.P) ?? tool, Math.max(num(p.S) ?? 0, num(p.R) ?? 0));
        break;
      case 'M73':
        this.progress(p);
        break;
      case 'M486':
        if (words.text.startsWith('A') || words.text.startsWith('a'))
          this.addObject('m486', words.text.slice(1).trim());
        break;
      default:
        if (words.letter === 'T' && /^\d+$/.test(words.code) && Number(words.code) <= MAX_TOOL)
          this.selectTool(Number(words.code));
        else if (klipper) this.macro(words.name, klipper, tool);
    }
    if (this.classify) this.noteRestricted(words, line);
  }

  /** Object labels: Klipper EXCLUDE_OBJECT_DEFINE, M486, `; printing object …`, Cura `;MESH:…`. */
  addObject(source: ObjectLabelSource, name: string): void {
    if (name === '' || name === 'NONMESH') return;
    let names = this.objectNames.get(source);
    if (!names) this.objectNames.set(source, (names = new Set()));
    if (names.size < MAX_OBJECT_NAMES) names.add(name);
  }

  objects(): { names: string[]; source: ObjectLabelSource | null } {
    for (const source of OBJECT_LABEL_PRIORITY) {
      const names = this.objectNames.get(source);
      if (names && names.size > 0) return { names: [...names], source };
    }
    return { names: [], source: null };
  }

  restrictedCommands(): RestrictedCommand[] {
    return [...this.restricted.values()];
  }

  temperatures(): PeakTemperatures {
    return { hotend: { ...this.hotend }, bed: this.bed, chamber: this.chamber };
  }

  m73(map: Map<number, number | null>): M73Point[] {
    return [...map.entries()].map(([percent, remainingMinutes]) => ({ percent, remainingMinutes }));
  }

  private selectTool(tool: number): void {
    this.selectCount++;
    this.toolsUsed.add(tool);
    if (this.currentTool !== null && this.currentTool !== tool) this.changeCount++;
    this.currentTool = tool;
  }

  private hotendTarget(tool: number, value: number | null): void {
    if (value === null || !Number.isInteger(tool) || tool < 0 || tool > MAX_TOOL) return;
    this.hotend[tool] = peak(this.hotend[tool] ?? null, value) ?? value;
  }

  private progress(p: Record<string, number | true>): void {
    this.m73Count++;
    const normal = num(p.P);
    if (normal !== null && !this.m73Normal.has(normal) && this.m73Normal.size < MAX_M73_POINTS)
      this.m73Normal.set(normal, num(p.R));
    const silent = num(p.Q);
    if (silent !== null && !this.m73Silent.has(silent) && this.m73Silent.size < MAX_M73_POINTS)
      this.m73Silent.set(silent, num(p.S));
  }

  /** Klipper: object labels, heater targets, and the temperatures passed to start macros. */
  private macro(name: string, args: Map<string, string>, tool: number): void {
    const numberArg = (...keys: string[]): number | null => {
      for (const k of keys) {
        const v = Number(args.get(k));
        if (args.has(k) && Number.isFinite(v)) return v;
      }
      return null;
    };
    if (name === 'EXCLUDE_OBJECT_DEFINE') {
      this.addObject('exclude-object', args.get('NAME') ?? '');
    } else if (name === 'SET_HEATER_TEMPERATURE') {
      const heater = (args.get('HEATER') ?? '').toLowerCase();
      const target = numberArg('TARGET');
      const extruder = /^extruder(\d*)$/.exec(heater);
      if (extruder) this.hotendTarget(extruder[1] ? Number(extruder[1]) : 0, target);
      else if (heater.includes('bed')) this.bed = peak(this.bed, target);
      else if (heater.includes('chamber')) this.chamber = peak(this.chamber, target);
    } else if (/^(?:START_PRINT|PRINT_START)$/.test(name)) {
      this.hotendTarget(tool, numberArg('EXTRUDER_TEMP', 'EXTRUDER', 'HOTEND_TEMP', 'HOTEND', 'NOZZLE_TEMP'));
      this.bed = peak(this.bed, numberArg('BED_TEMP', 'BED'));
      this.chamber = peak(this.chamber, numberArg('CHAMBER_TEMP', 'CHAMBER'));
    }
  }

  private noteRestricted(words: CommandWords, line: number): void {
    const riskClass = this.classify?.(words) ?? null;
    if (riskClass === null) return;
    const key = `${words.name} ${riskClass}`;
    const seen = this.restricted.get(key);
    if (seen) seen.count++;
    else if (this.restricted.size < MAX_RESTRICTED_KINDS)
      this.restricted.set(key, { name: words.name, riskClass, count: 1, firstLine: line });
  }
}

function num(v: number | true | undefined): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function peak(current: number | null, value: number | null): number | null {
  if (value === null) return current;
  return current === null || value > current ? value : current;
}
