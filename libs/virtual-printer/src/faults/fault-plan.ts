import type { FaultKind, FaultSpec } from './fault-spec.js';
import { FAULT_KINDS } from './fault-spec.js';

/** Small seeded generator (mulberry32): the same spec and seed give the same faults on every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Decides, line by line, which faults hit. */
export class FaultPlan {
  readonly random: () => number;
  private readonly pending: Map<number, FaultKind[]>;
  private readonly fired: Record<FaultKind, number>;

  constructor(private readonly spec: FaultSpec) {
    this.random = seededRandom(spec.seed);
    this.pending = new Map();
    for (const { kind, line } of spec.atLines) {
      const list = this.pending.get(line) ?? [];
      list.push(kind);
      this.pending.set(line, list);
    }
    this.fired = Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
  }

  /** Faults for the line the firmware just read; `key` is its N, or its ordinal when unnumbered. */
  forLine(key: number): FaultKind[] {
    let hits: FaultKind[] | undefined = this.pending.get(key);
    if (hits) this.pending.delete(key);
    for (const kind of FAULT_KINDS) {
      const rate = this.spec.rates[kind];
      if (rate !== undefined && rate > 0 && this.random() < rate) (hits ??= []).push(kind);
    }
    if (!hits) return NO_FAULTS;
    for (const kind of hits) this.fired[kind]++;
    return hits;
  }

  counts(): Readonly<Record<FaultKind, number>> {
    return this.fired;
  }
}

const NO_FAULTS: FaultKind[] = [];
