import { checkLineWith, type GuardContext } from './check-command.js';
import { MAX_LINE_CHARS } from './command-split.js';
import { compilePolicy } from './compiled-policy.js';
import type { LineGuard, LineGuardResult } from './policy.types.js';
import type { SafetyProfile } from './safety-profile.js';

const OK: LineGuardResult = Object.freeze({ ok: true as const });

/**
 * A plain move, optionally framed (`N12 G1 X10.5 Y-3 E.42 F1800*71`): only
 * axis, arc and feed words with plain decimals, so nothing in it can be a
 * temperature, a second command or an exotic number. Such lines skip the
 * full check; everything else takes it.
 */
const PLAIN_MOVE = /^(?:N\d+ )?G[0-3](?: [XYZEFIJKR][+-]?(?:\d+\.?\d*|\.\d+))*(?:\*\d+)?$/;

/**
 * The serial engine's last gate, called on every line right before it is
 * written. Pass a function as `context` when the printer's idle state or the
 * line's source changes over time; it is read on each call.
 */
export function createLineGuard(profile: SafetyProfile, context: GuardContext | (() => GuardContext)): LineGuard {
  const compiled = compilePolicy(profile);
  const current = typeof context === 'function' ? context : () => context;
  return (command: string): LineGuardResult => {
    const ctx = current();
    if (compiled.fastMotion[ctx.actor] && command.length <= MAX_LINE_CHARS && PLAIN_MOVE.test(command)) return OK;
    const result = checkLineWith(command, ctx, compiled);
    return result.ok ? OK : { ok: false, code: result.code, reason: result.reason };
  };
}
