import type { Actor } from './policy.types.js';
import type { RiskClass } from './risk-classes.js';

/**
 * What each actor may do with each risk class (SECURITY.md "G-code risk
 * classes and default policy"). Temperature caps, per-printer blocked
 * commands and forged-reply checks apply before this table, to everyone.
 *
 * - `allow: [...]` lists the conditions that must all hold:
 *   `allowlisted` (on the printer's operator allowlist), `idle` (no job
 *   running), `flash-flag` (server ALLOW_FIRMWARE_FLASH), `inspected` (a human
 *   confirmed the printer was inspected after a halt).
 * - `refuse` gives the refusal code. Classes marked `blocked` can be enabled
 *   per printer by an admin through `adminAllow` (a real, stated need).
 */
export type Requirement = 'allowlisted' | 'idle' | 'flash-flag' | 'inspected';
export type ClassDecision =
  | { allow: readonly Requirement[] }
  | { refuse: 'restricted-command' | 'unknown-macro' }
  | { blocked: true };

const ALLOW: ClassDecision = { allow: [] };
const LISTED: ClassDecision = { allow: ['allowlisted'] };
const IDLE: ClassDecision = { allow: ['idle'] };
const ADMIN_ONLY: ClassDecision = { refuse: 'restricted-command' };
const BLOCKED: ClassDecision = { blocked: true };
const INSPECTED: ClassDecision = { allow: ['inspected'] };

/** Operator terminal: allowlist-based; restricted classes never, whatever the allowlist says. */
const OPERATOR: Readonly<Record<RiskClass, ClassDecision>> = {
  temperature: LISTED,
  autotune: ADMIN_ONLY,
  estop: ALLOW,
  'break-wait': ALLOW,
  restart: { allow: ['allowlisted', 'inspected'] },
  'wait-for-user': LISTED,
  eeprom: ADMIN_ONLY,
  'firmware-write': ADMIN_ONLY,
  'sd-print': BLOCKED,
  'sd-card': LISTED,
  calibration: ADMIN_ONLY,
  'motion-tuning': LISTED,
  'cold-extrusion': ADMIN_ONLY,
  endstops: ADMIN_ONLY,
  'raw-io': BLOCKED,
  'power-steppers': { allow: ['allowlisted', 'idle'] },
  display: LISTED,
  'klipper-config': ADMIN_ONLY,
  shell: BLOCKED,
  'unknown-macro': LISTED,
  motion: LISTED,
  read: LISTED,
  ordinary: LISTED,
  unknown: LISTED,
};

/** Admin terminal: blocklist-based; restricted classes only while the printer is idle. */
const ADMIN: Readonly<Record<RiskClass, ClassDecision>> = {
  temperature: ALLOW,
  autotune: IDLE,
  estop: ALLOW,
  'break-wait': ALLOW,
  restart: INSPECTED,
  'wait-for-user': ALLOW,
  eeprom: IDLE,
  'firmware-write': { allow: ['flash-flag', 'idle'] },
  'sd-print': BLOCKED,
  'sd-card': ALLOW,
  calibration: IDLE,
  'motion-tuning': ALLOW,
  'cold-extrusion': ALLOW,
  endstops: ALLOW,
  'raw-io': BLOCKED,
  'power-steppers': IDLE,
  display: ALLOW,
  'klipper-config': IDLE,
  shell: BLOCKED,
  'unknown-macro': ALLOW,
  motion: ALLOW,
  read: ALLOW,
  ordinary: ALLOW,
  unknown: ALLOW,
};

/**
 * Job files: what slicers legitimately emit. Unknown numeric codes pass
 * (vendor codes such as Prusa `M862.x` or Raise3D `M1001` appear in real
 * files; the dangerous ones are classified); undeclared macros do not.
 */
const FILE: Readonly<Record<RiskClass, ClassDecision>> = {
  temperature: ALLOW,
  autotune: ADMIN_ONLY,
  estop: ALLOW,
  'break-wait': ALLOW,
  restart: ADMIN_ONLY,
  'wait-for-user': ALLOW,
  eeprom: ADMIN_ONLY,
  'firmware-write': ADMIN_ONLY,
  'sd-print': BLOCKED,
  'sd-card': ALLOW,
  calibration: ADMIN_ONLY,
  'motion-tuning': ALLOW,
  'cold-extrusion': ADMIN_ONLY,
  endstops: ADMIN_ONLY,
  'raw-io': BLOCKED,
  'power-steppers': ALLOW,
  display: ALLOW,
  'klipper-config': ADMIN_ONLY,
  shell: BLOCKED,
  'unknown-macro': { refuse: 'unknown-macro' },
  motion: ALLOW,
  read: ALLOW,
  ordinary: ALLOW,
  unknown: ALLOW,
};

/** The engine's own scripts (admin-configured connect/pause/cancel scripts): as admin, but cancel scripts turn steppers off mid-job. */
const SYSTEM: Readonly<Record<RiskClass, ClassDecision>> = { ...ADMIN, 'power-steppers': ALLOW };

export const ACTOR_RULES: Readonly<Record<Actor, Readonly<Record<RiskClass, ClassDecision>>>> = {
  operator: OPERATOR,
  admin: ADMIN,
  system: SYSTEM,
  file: FILE,
};

/**
 * Restricted-class commands that stock slicer printer profiles put in every
 * file, so job files may carry them: Prusa MK3 start G-code sets the extruder
 * motor current (`M907 E430`), MK4 start G-code sets the driver mode
 * (`M569 S0 E`). Both are volatile until an `M500`, which files may not send.
 */
export const FILE_TOLERATED: ReadonlySet<string> = new Set(['M907', 'M569']);
