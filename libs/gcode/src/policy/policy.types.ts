import type { SafetyProfile } from './safety-profile.js';

/** Who is asking. `file` = lines of an uploaded job; `system` = the engine's own scripts. */
export type Actor = 'operator' | 'admin' | 'file' | 'system';

export interface PolicyContext {
  profile: SafetyProfile;
  actor: Actor;
  /** True when no job is running on the printer (restricted commands need it). */
  printerIdle: boolean;
  /** Server-level `ALLOW_FIRMWARE_FLASH`; never settable from the UI. */
  firmwareFlashAllowed: boolean;
  /** A human confirmed "I inspected the printer" for this request (needed by M999 / FIRMWARE_RESTART). */
  inspectionConfirmed?: boolean;
}

/** Stable refusal codes: audit rows, API error bodies and UI texts key on these. */
export type RefusalCode =
  | 'temperature-above-cap'
  | 'unknown-heater'
  | 'unverifiable-temperature'
  | 'blocked-command'
  | 'restricted-command'
  | 'not-allowlisted'
  | 'unknown-macro'
  | 'printer-busy'
  | 'firmware-flash-disabled'
  | 'inspection-required'
  | 'spoofed-reply'
  | 'line-too-long'
  | 'too-many-commands'
  | 'invalid-characters'
  | 'multiple-lines'
  | 'empty-input';

export interface Refusal {
  ok: false;
  code: RefusalCode;
  reason: string;
}

/** The serial engine's injected guard: called with each command right before it is written. */
export type LineGuardResult = { ok: true } | { ok: false; code: string; reason: string };
export type LineGuard = (command: string) => LineGuardResult;

export function refuse(code: RefusalCode, reason: string): Refusal {
  return { ok: false, code, reason };
}
