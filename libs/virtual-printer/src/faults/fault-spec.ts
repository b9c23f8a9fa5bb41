/**
 * The fault-injection spec string of the CLI and the options object.
 *
 *   spec   := item ( "," item )*
 *   item   := KIND "=" RATE        probability per received line, 0..1
 *           | KIND "@line=" N      once, at line N
 *           | KIND "@" N           same as @line=N
 *           | "seed=" INTEGER      seed of the random generator (default 1)
 *           | HEATER_FAULT [ "=" HEATER ] [ "@" WHEN ]
 *   KIND   := corrupt | lost-ok | dup-ok | garbage | busy | reset | disconnect
 *           | thermal-runaway | halt | runout
 *   HEATER_FAULT := heater-stuck-on | heater-failed | sensor-frozen | overshoot
 *           | reports-stop        (see heater-faults.ts)
 *   HEATER := hotend | bed        (default hotend)
 *   WHEN   := "line=" N | N | heat | reached    (none: from power-on)
 *
 * "Line N" is the host's line number (`N<n>`) for numbered lines and the
 * count of received lines (from 1) for unnumbered ones. A line-triggered
 * fault fires the first time that line arrives, not on its resends.
 * Example: `corrupt=0.01,lost-ok=0.005,dup-ok=0.005,garbage=0.01,reset@line=500,disconnect@line=800`.
 */
import { HEATER_FAULT_KINDS, isHeaterFaultKind, type HeaterFaultKind, type HeaterFaultSpec, type HeaterFaultTrigger } from './heater-faults.js';

export const FAULT_KINDS = [
  'corrupt',
  'lost-ok',
  'dup-ok',
  'garbage',
  'busy',
  'reset',
  'disconnect',
  'thermal-runaway',
  'halt',
  'runout',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  rates: Partial<Record<FaultKind, number>>;
  atLines: { kind: FaultKind; line: number }[];
  seed: number;
  /** Present when the spec names heater faults. */
  heaters?: HeaterFaultSpec[];
}

export class FaultSpecError extends Error {
  readonly code = 'FAULT_SPEC_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'FaultSpecError';
  }
}

export function emptyFaultSpec(): FaultSpec {
  return { rates: {}, atLines: [], seed: 1 };
}

function asKind(text: string, item: string): FaultKind {
  const kind = FAULT_KINDS.find((k) => k === text);
  if (!kind) throw new FaultSpecError(`unknown fault "${text}" in "${item}"; known: ${[...FAULT_KINDS, ...HEATER_FAULT_KINDS].join(', ')}`);
  return kind;
}

const HEATER_ITEM = /^([a-z-]+)(?:=([a-z0-9.eE+-]+))?(?:@(?:line=)?([a-z0-9]+))?$/;

/** `heater-stuck-on`, `heater-failed=bed@heat`, `reports-stop@reached`, `overshoot@line=40`. */
function parseHeaterFault(kind: HeaterFaultKind, item: string): HeaterFaultSpec {
  const match = HEATER_ITEM.exec(item);
  if (!match) throw new FaultSpecError(`cannot read heater fault "${item}" (use ${kind}[=hotend|bed][@line=N|@heat|@reached])`);
  const heater = match[2] ?? 'hotend';
  if (heater !== 'hotend' && heater !== 'bed') {
    throw new FaultSpecError(`heater fault "${item}" names a heater (hotend or bed), not "${heater}": a rate means nothing here`);
  }
  const when = match[3];
  let trigger: HeaterFaultTrigger;
  if (when === undefined) trigger = { at: 'power-on' };
  else if (when === 'heat' || when === 'reached') trigger = { at: when };
  else if (/^\d+$/.test(when)) trigger = { at: 'line', line: Number(when) };
  else throw new FaultSpecError(`unknown trigger "@${when}" in "${item}" (use @line=N, @heat or @reached)`);
  return { kind, heater, trigger };
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out = emptyFaultSpec();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const name = /^[a-z-]+/.exec(item)?.[0] ?? '';
    if (isHeaterFaultKind(name)) {
      (out.heaters ??= []).push(parseHeaterFault(name, item));
      continue;
    }
    const at = /^([a-z-]+)@(?:line=)?(\d+)$/.exec(item);
    if (at) {
      out.atLines.push({ kind: asKind(at[1] ?? '', item), line: Number(at[2]) });
      continue;
    }
    const rate = /^([a-z-]+)=([0-9.eE+-]+)$/.exec(item);
    if (!rate) throw new FaultSpecError(`cannot read fault "${item}" (use kind=rate or kind@line=N)`);
    const value = Number(rate[2]);
    if (rate[1] === 'seed') {
      if (!Number.isInteger(value)) throw new FaultSpecError(`seed must be an integer in "${item}"`);
      out.seed = value;
      continue;
    }
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      throw new FaultSpecError(`rate must be between 0 and 1 in "${item}"`);
    }
    out.rates[asKind(rate[1] ?? '', item)] = value;
  }
  return out;
}
