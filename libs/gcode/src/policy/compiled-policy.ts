import { parseWords } from '../line/words.js';
import { ACTOR_RULES } from './actor-rules.js';
import { compileHeaterCaps, type HeaterCaps } from './heater-caps.js';
import type { Actor } from './policy.types.js';
import { DEFAULT_BLOCKED_COMMANDS, DEFAULT_OPERATOR_ALLOWLIST, type SafetyProfile } from './safety-profile.js';

/** A profile turned into lookup sets once, so checking a line allocates little. */
export interface CompiledPolicy {
  readonly caps: HeaterCaps;
  readonly blocked: ReadonlySet<string>;
  readonly operatorAllowlist: ReadonlySet<string>;
  readonly adminAllow: ReadonlySet<string>;
  readonly knownMacros: ReadonlySet<string>;
  /** Whether a plain G0–G3 move may skip the full check for this actor. */
  readonly fastMotion: Readonly<Record<Actor, boolean>>;
}

/** `m0` → `M0`, `G01` → `G1`, `set_pin` → `SET_PIN`; `T` stays `T` (every tool select). */
export function commandName(entry: string): string {
  return parseWords(entry.trim()).name;
}

const nameSet = (entries: readonly string[]): ReadonlySet<string> => new Set(entries.map(commandName).filter((n) => n !== ''));
const cache = new WeakMap<SafetyProfile, CompiledPolicy>();
const MOVES = ['G0', 'G1', 'G2', 'G3'];

export function compilePolicy(profile: SafetyProfile): CompiledPolicy {
  const cached = cache.get(profile);
  if (cached) return cached;
  const blocked = nameSet(profile.blockedCommands ?? DEFAULT_BLOCKED_COMMANDS);
  const operatorAllowlist = nameSet(profile.operatorAllowlist ?? DEFAULT_OPERATOR_ALLOWLIST);
  const movesFree = MOVES.every((m) => !blocked.has(m));
  const fast = (actor: Actor): boolean => {
    const rule = ACTOR_RULES[actor].motion;
    if (!movesFree || !('allow' in rule)) return false;
    return rule.allow.every((r) => r === 'allowlisted' && MOVES.every((m) => operatorAllowlist.has(m)));
  };
  const compiled: CompiledPolicy = {
    caps: compileHeaterCaps(profile),
    blocked,
    operatorAllowlist,
    adminAllow: nameSet(profile.adminAllow ?? []),
    knownMacros: nameSet(profile.knownMacros ?? []),
    fastMotion: { operator: fast('operator'), admin: fast('admin'), file: fast('file'), system: fast('system') },
  };
  cache.set(profile, compiled);
  return compiled;
}
