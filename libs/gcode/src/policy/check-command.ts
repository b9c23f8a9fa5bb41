import { ACTOR_RULES, FILE_TOLERATED, type Requirement } from './actor-rules.js';
import { commandSegments, hasControlCharacters, MAX_LINE_CHARS, splitTerminalInput, type CommandSegment } from './command-split.js';
import { compilePolicy, type CompiledPolicy } from './compiled-policy.js';
import { refuse, type PolicyContext, type Refusal, type RefusalCode } from './policy.types.js';
import { classifyCommand, type RiskClass } from './risk-classes.js';
import { checkReplySpoof } from './reply-spoof.js';
import { checkTemperatures } from './temperature-check.js';

/** The decision context without the profile (the guard binds the profile once). */
export type GuardContext = Omit<PolicyContext, 'profile'>;

export interface CheckedLine {
  /** The line as submitted (send it as is: the check covered every reading of it). */
  line: string;
  /** Risk class of each command the line holds (usually one). */
  classes: RiskClass[];
}

export type LineCheck = { ok: true; classes: RiskClass[] } | Refusal;
export type CommandCheck = { ok: true; lines: CheckedLine[] } | (Refusal & { line?: string });

/**
 * The manager's entry point: a terminal submission, control or job line.
 * Terminal input (operator/admin) is split into lines with size limits; every
 * line must pass, or nothing is sent.
 */
export function checkCommand(input: string, context: PolicyContext): CommandCheck {
  const compiled = compilePolicy(context.profile);
  let lines: string[];
  if (context.actor === 'operator' || context.actor === 'admin') {
    const split = splitTerminalInput(input);
    if (!split.ok) return split;
    lines = split.lines;
  } else {
    lines = input.split(/\r\n|\r|\n/);
  }
  const checked: CheckedLine[] = [];
  for (const line of lines) {
    const result = checkLineWith(line, context, compiled);
    if (!result.ok) return { ...result, line };
    if (result.classes.length > 0) checked.push({ line, classes: result.classes });
  }
  return { ok: true, lines: checked };
}

/** One line exactly as it will be written (no splitting: a line break inside is refused). */
export function checkLine(line: string, context: PolicyContext): LineCheck {
  return checkLineWith(line, context, compilePolicy(context.profile));
}

export function checkLineWith(line: string, context: GuardContext, compiled: CompiledPolicy): LineCheck {
  if (line.length > MAX_LINE_CHARS) return refuse('line-too-long', `lines are limited to ${MAX_LINE_CHARS} characters`);
  if (line.includes('\n') || line.includes('\r')) {
    return refuse('multiple-lines', 'a line break inside one command would reach the printer as a second, unchecked line');
  }
  if (hasControlCharacters(line)) return refuse('invalid-characters', 'control characters are not allowed in G-code');
  const segments = commandSegments(line);
  // Safety limits first, for every command on the line, so the most serious reason is the one reported.
  for (const segment of segments) {
    const unsafe = checkLimits(segment, compiled);
    if (unsafe) return unsafe;
  }
  const classes: RiskClass[] = [];
  let worst: Refusal | undefined;
  for (const segment of segments) {
    const decided = decideSegment(segment, context, compiled);
    if (typeof decided === 'string') {
      if (!classes.includes(decided)) classes.push(decided);
    } else if (worst === undefined || SEVERITY.indexOf(decided.code) < SEVERITY.indexOf(worst.code)) {
      worst = decided;
    }
  }
  return worst ?? { ok: true, classes };
}

// When several commands on one line are refused, report the most serious reason.
const SEVERITY: readonly RefusalCode[] = [
  'blocked-command',
  'restricted-command',
  'unknown-macro',
  'firmware-flash-disabled',
  'inspection-required',
  'printer-busy',
  'not-allowlisted',
];

const isListed = (set: ReadonlySet<string>, segment: CommandSegment): boolean => {
  const { words } = segment;
  const base = words.code.includes('.') ? `${words.letter}${words.code.slice(0, words.code.indexOf('.'))}` : words.name;
  return set.has(words.name) || set.has(base) || (words.letter === 'T' && set.has('T'));
};

/** What applies to everyone: per-printer blocked commands, heater caps, forged replies. */
function checkLimits(segment: CommandSegment, compiled: CompiledPolicy): Refusal | undefined {
  const { words } = segment;
  if (isListed(compiled.blocked, segment)) return refuse('blocked-command', `${words.name} is blocked on this printer`);
  return checkTemperatures(words, segment.params, compiled.caps) ?? checkReplySpoof(words);
}

function decideSegment(segment: CommandSegment, context: GuardContext, compiled: CompiledPolicy): RiskClass | Refusal {
  const { words } = segment;
  const name = words.name;
  const base = words.code.includes('.') ? `${words.letter}${words.code.slice(0, words.code.indexOf('.'))}` : name;
  const listed = (set: ReadonlySet<string>): boolean => isListed(set, segment);

  let riskClass = classifyCommand(words);
  if (riskClass === 'unknown-macro' && compiled.knownMacros.has(name)) riskClass = 'ordinary';
  const actor = context.actor;
  if (actor === 'file' && FILE_TOLERATED.has(base)) return riskClass;
  const decision = ACTOR_RULES[actor][riskClass];

  let requirements: readonly Requirement[];
  if ('allow' in decision) {
    requirements = decision.allow;
  } else if ('blocked' in decision) {
    if (!listed(compiled.adminAllow)) {
      return refuse('blocked-command', `${name} (${riskClass}) is blocked; an admin can enable it for this printer only if a real need exists`);
    }
    requirements = actor === 'operator' ? ['allowlisted'] : [];
  } else if (decision.refuse === 'unknown-macro') {
    return refuse('unknown-macro', `${name} is not a command or macro declared in this printer's profile`);
  } else {
    return refuse('restricted-command', `${name} (${riskClass}) is restricted to admins on an idle printer`);
  }
  for (const requirement of requirements) {
    const unmet = checkRequirement(requirement, name, riskClass, context, () => listed(compiled.operatorAllowlist));
    if (unmet) return unmet;
  }
  return riskClass;
}

function checkRequirement(
  requirement: Requirement,
  name: string,
  riskClass: RiskClass,
  context: GuardContext,
  allowlisted: () => boolean,
): Refusal | undefined {
  switch (requirement) {
    case 'allowlisted':
      return allowlisted() ? undefined : refuse('not-allowlisted', `${name} is not on this printer's operator allowlist`);
    case 'idle':
      return context.printerIdle ? undefined : refuse('printer-busy', `${name} (${riskClass}) is only allowed while the printer is idle`);
    case 'flash-flag':
      return context.firmwareFlashAllowed
        ? undefined
        : refuse('firmware-flash-disabled', `${name} writes firmware or printer storage, which this server does not allow (ALLOW_FIRMWARE_FLASH is off)`);
    case 'inspected':
      return context.inspectionConfirmed === true
        ? undefined
        : refuse('inspection-required', `${name} restarts a halted printer; confirm that the printer was inspected first`);
  }
}
