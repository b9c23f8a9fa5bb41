import type { CommandWords } from '../line/words.js';
import { capOf, describeTarget, klipperTarget, type HeaterCaps, type HeaterTarget } from './heater-caps.js';
import { parseExtendedParams, readExtendedNumber } from './klipper-params.js';
import { refuse, type Refusal } from './policy.types.js';
import { isKlipperBuiltin } from './risk-classes.js';
import { readAllValues, type ValueReading } from './value-reading.js';

/**
 * Which parameters of which command carry a temperature, and how the heater
 * is selected. Facts from the Marlin, RepRapFirmware and Klipper docs:
 * - Marlin M104/M109: S target, R target (M109: wait both ways), B = AUTOTEMP
 *   maximum, T hotend index, I material preset (2.0.6+, overrides S).
 * - Marlin M140/M190: S, R, I preset. RRF adds P (bed index), H (heater
 *   number) and R (standby). M141/M191 (chamber) take the same.
 * - RRF G10 P<tool> S<active> R<standby> and M568 P<tool> S R: colon lists per heater.
 * - M303 (autotune): Marlin E<hotend> (-1 = bed) S<target>; RRF H<heater> or T<tool> S.
 * - Marlin G26 (mesh validation print): H hotend, B bed, I preset. M145 (presets): H hotend, B bed.
 */
interface HeaterGroup {
  letters: string;
  heater: 'hotend' | 'bed' | 'chamber';
}
interface NumericRule {
  groups: readonly HeaterGroup[];
  /** Letter carrying a tool index (hotend groups). */
  tool?: string;
  /** Marlin M303 `E`: ≥ 0 hotend, -1 bed. */
  marlinHeaterIndex?: string;
  /** RRF bed/chamber index (`P`): only index 0 is known. */
  index?: string;
  /** RRF heater number (`H`), resolved through the profile. */
  rrfHeater?: string;
  /** Material preset index: the temperature lives in the printer, so it cannot be checked. */
  preset?: string;
}

const HOTEND = (letters: string): HeaterGroup => ({ letters, heater: 'hotend' });
const hotendRule: NumericRule = { groups: [HOTEND('SRB')], tool: 'T', preset: 'I', rrfHeater: 'H' };
const bedRule: NumericRule = { groups: [{ letters: 'SR', heater: 'bed' }], index: 'P', rrfHeater: 'H', preset: 'I' };
const chamberRule: NumericRule = { groups: [{ letters: 'SR', heater: 'chamber' }], index: 'P', rrfHeater: 'H', preset: 'I' };
const presetPairRule: NumericRule = { groups: [HOTEND('H'), { letters: 'B', heater: 'bed' }] };
const meshValidationRule: NumericRule = { ...presetPairRule, preset: 'I' }; // G26 I<index> uses a material preset

const NUMERIC_RULES: Readonly<Record<string, NumericRule>> = {
  M104: hotendRule,
  M109: hotendRule,
  M140: bedRule,
  M190: bedRule,
  M141: chamberRule,
  M191: chamberRule,
  G10: { groups: [HOTEND('SR')], tool: 'P' },
  M568: { groups: [HOTEND('SR')], tool: 'P' },
  M303: { groups: [HOTEND('S')], tool: 'T', marlinHeaterIndex: 'E', rrfHeater: 'H' },
  G26: meshValidationRule,
  M145: presetPairRule,
};

/** Klipper extended commands: which key names the heater, which keys carry temperatures. */
const EXTENDED_RULES: Readonly<Record<string, { heaterKey: string; temps: readonly string[] }>> = {
  SET_HEATER_TEMPERATURE: { heaterKey: 'HEATER', temps: ['TARGET'] },
  TEMPERATURE_WAIT: { heaterKey: 'SENSOR', temps: ['MINIMUM', 'MAXIMUM'] },
  PID_CALIBRATE: { heaterKey: 'HEATER', temps: ['TARGET'] },
  MPC_CALIBRATE: { heaterKey: 'HEATER', temps: ['TARGET'] },
};

/**
 * Macro parameters whose names say they are temperatures
 * (`PRINT_START BED_TEMP=60 EXTRUDER_TEMP=210`, `BED=60`). A heuristic: a
 * macro can heat from any parameter or none, which is why undeclared macros
 * are refused in files and for operators.
 */
const TEMPERATURE_KEY = /TEMP|^(?:BED|EXTRUDER|HOTEND|NOZZLE|CHAMBER)\d*$/;
function macroParamTarget(key: string): HeaterTarget | undefined {
  if (!TEMPERATURE_KEY.test(key)) return undefined;
  if (key.includes('CHAMBER')) return { kind: 'chamber' };
  if (key.includes('BED')) return { kind: 'bed' };
  return { kind: 'active-tool' };
}

function ruleFor(words: CommandWords): NumericRule | undefined {
  const exact = NUMERIC_RULES[words.name];
  if (exact !== undefined || !words.code.includes('.')) return exact;
  return NUMERIC_RULES[`${words.letter}${words.code.slice(0, words.code.indexOf('.'))}`]; // M104.1 → M104
}

/**
 * Refuses when any temperature in the command would exceed its heater's cap,
 * goes to a heater the profile does not know, or cannot be read for certain.
 * `params` is the command text after the command word. Turning a heater off
 * (≤ 0) is always allowed: it cannot overheat anything.
 */
export function checkTemperatures(words: CommandWords, params: string, caps: HeaterCaps): Refusal | undefined {
  if (words.letter === '') return checkExtended(words.name, params, caps);
  const rule = ruleFor(words);
  if (rule === undefined) return undefined;
  for (const group of rule.groups) {
    const targets = targetsFor(group.heater, rule, params, caps);
    for (const letter of group.letters) {
      for (const reading of readAllValues(params, letter)) {
        const refusal = checkReading(words.name, letter, reading, targets, caps);
        if (refusal) return refusal;
      }
    }
  }
  if (rule.preset !== undefined && readAllValues(params, rule.preset).length > 0) {
    return refuse('unverifiable-temperature', `${words.name} ${rule.preset}<preset> takes a temperature stored in the printer, which cannot be checked against the caps; give S<temperature> instead`);
  }
  return undefined;
}

function checkExtended(name: string, params: string, caps: HeaterCaps): Refusal | undefined {
  const rule = EXTENDED_RULES[name];
  if (rule === undefined && isKlipperBuiltin(name)) return undefined;
  const entries = parseExtendedParams(params);
  if (rule !== undefined) {
    const heaterNames = entries.filter((e) => e.key === rule.heaterKey).map((e) => e.value);
    const targets = heaterNames.length > 0 ? heaterNames.map((h) => klipperTarget(caps, h)) : [klipperTarget(caps, '')];
    for (const entry of entries) {
      if (!rule.temps.includes(entry.key)) continue;
      const refusal = checkReading(name, `${entry.key}=`, readExtendedNumber(entry.value), targets, caps);
      if (refusal) return refusal;
    }
    return undefined;
  }
  for (const entry of entries) {
    const target = macroParamTarget(entry.key);
    if (target === undefined) continue;
    const reading = readExtendedNumber(entry.value);
    // `EXTRUDER=extruder1` names a heater; only `…TEMP…` keys must hold a number.
    if (reading.kind === 'unverifiable' && !entry.key.includes('TEMP')) continue;
    const refusal = checkReading(name, `${entry.key}=`, reading, [target], caps);
    if (refusal) return refusal;
  }
  return undefined;
}

function checkReading(command: string, param: string, reading: ValueReading, targets: readonly HeaterTarget[], caps: HeaterCaps): Refusal | undefined {
  if (reading.kind === 'none') return undefined;
  if (reading.kind === 'unverifiable') {
    return refuse('unverifiable-temperature', `${command} ${param}${reading.text} is not a plain number, so the temperature cannot be checked against the caps`);
  }
  for (const value of reading.values) {
    if (!(value > 0)) continue;
    for (const target of targets) {
      const cap = capOf(caps, target);
      if (cap === undefined) {
        return refuse('unknown-heater', `${command} ${param}${value} is for ${describeTarget(target)}, which has no temperature cap in the printer profile`);
      }
      if (value > cap) {
        return refuse('temperature-above-cap', `${command} ${param}${value} asks ${value} °C of ${describeTarget(target)}, above this printer's cap of ${cap} °C`);
      }
    }
  }
  return undefined;
}

function indexTargets(readings: ValueReading[], toTarget: (n: number) => HeaterTarget, label: string): HeaterTarget[] {
  const out: HeaterTarget[] = [];
  for (const reading of readings) {
    if (reading.kind === 'none') continue;
    if (reading.kind === 'unverifiable') {
      out.push({ kind: 'unknown', label: `${label} "${reading.text}"` });
      continue;
    }
    for (const n of reading.values) out.push(Number.isInteger(n) ? toTarget(n) : { kind: 'unknown', label: `${label} ${n}` });
  }
  return out;
}

function targetsFor(heater: HeaterGroup['heater'], rule: NumericRule, params: string, caps: HeaterCaps): HeaterTarget[] {
  const targets: HeaterTarget[] = [];
  if (rule.rrfHeater !== undefined) {
    targets.push(
      ...indexTargets(readAllValues(params, rule.rrfHeater), (n) => caps.rrfHeaters.get(n) ?? { kind: 'unknown', label: `heater H${n}` }, 'heater H'),
    );
  }
  if (heater === 'hotend') {
    if (rule.tool !== undefined) {
      const toolTarget = (n: number): HeaterTarget =>
        n >= 0 && n < caps.toolCaps.length ? { kind: 'hotend', tool: n } : { kind: 'unknown', label: `tool T${n}` };
      targets.push(...indexTargets(readAllValues(params, rule.tool), toolTarget, 'tool'));
    }
    if (rule.marlinHeaterIndex !== undefined) {
      const byIndex = (n: number): HeaterTarget =>
        n === -1 ? { kind: 'bed' } : n >= 0 && n < caps.toolCaps.length ? { kind: 'hotend', tool: n } : { kind: 'unknown', label: `heater E${n}` };
      targets.push(...indexTargets(readAllValues(params, rule.marlinHeaterIndex), byIndex, 'heater E'));
    }
    return targets.length > 0 ? targets : [{ kind: 'active-tool' }];
  }
  if (rule.index !== undefined) {
    const byIndex = (n: number): HeaterTarget => (n === 0 ? { kind: heater } : { kind: 'unknown', label: `${heater} P${n}` });
    targets.push(...indexTargets(readAllValues(params, rule.index), byIndex, `${heater} index`));
  }
  return targets.length > 0 ? targets : [{ kind: heater }];
}
