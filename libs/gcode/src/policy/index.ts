export type { Actor, PolicyContext, Refusal, RefusalCode, LineGuard, LineGuardResult } from './policy.types.js';
export {
  type FirmwareFlavour,
  type HeaterRef,
  type SafetyProfile,
  DEFAULT_BLOCKED_COMMANDS,
  DEFAULT_OPERATOR_ALLOWLIST,
  COMMON_KLIPPER_MACROS,
} from './safety-profile.js';
export { type RiskClass, classifyCommand } from './risk-classes.js';
export { ACTOR_RULES, FILE_TOLERATED, type ClassDecision, type Requirement } from './actor-rules.js';
export { checkCommand, checkLine, type CheckedLine, type CommandCheck, type GuardContext, type LineCheck } from './check-command.js';
export { createLineGuard } from './line-guard.js';
export { commandSegments, splitTerminalInput, MAX_LINE_CHARS, MAX_TERMINAL_CHARS, MAX_TERMINAL_COMMANDS, type CommandSegment } from './command-split.js';
export { safetyProfileOf, type ProfileHeaters } from './profile-safety.js';
