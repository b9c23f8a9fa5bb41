/**
 * The fault-injection spec string of the CLI and the options object.
 *
 *   spec   := item ( "," item )*
 *   item   := KIND "=" RATE        probability per received line, 0..1
 *           | KIND "@line=" N      once, at line N
 *           | KIND "@" N           same as @line=N
 *           | "seed=" INTEGER      seed of the random generator (default 1)
 *   KIND   := corrupt | lost-ok | dup-ok | garbage | busy | reset | disconnect
 *           | thermal-runaway | halt | runout
 *
 * "Line N" is the host's line number (`N<n>`) for numbered lines and the
 * count of received lines (from 1) for unnumbered ones. A line-triggered
 * fault fires the first time that line arrives, not on its resends.
 * Example: `corrupt=0.01,lost-ok=0.005,dup-ok=0.005,garbage=0.01,reset@line=500,disconnect@line=800`.
 */
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
  if (!kind) throw new FaultSpecError(`unknown fault "${text}" in "${item}"; known: ${FAULT_KINDS.join(', ')}`);
  return kind;
}

export function parseFaultSpec(spec: string): FaultSpec {
  const out = emptyFaultSpec();
  for (const raw of spec.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
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
