// API-key scope presets of SECURITY.md ("API-key scopes"). A key's effective
// permissions are always its scopes ∩ its owner's current permissions.
import type { Permission } from './permissions.js';

export const API_KEY_PRESETS = ['slicer', 'monitor', 'automation'] as const;
export type ApiKeyPreset = (typeof API_KEY_PRESETS)[number];

/** Fixed presets; `automation` is a custom subset chosen by an admin. */
export const API_KEY_PRESET_SCOPES: Readonly<Record<'slicer' | 'monitor', readonly Permission[]>> = {
  slicer: ['files.upload', 'jobs.create'],
  monitor: ['printer.read', 'jobs.read', 'webcam.view'],
};

/** No key may ever hold these (bed clear is a human-only confirmation). */
export const NEVER_KEY_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>(['printer.bed_clear']);

/** An automation key can never include these. */
export const AUTOMATION_FORBIDDEN: ReadonlySet<Permission> = new Set<Permission>([
  'printer.bed_clear',
  'users.read',
  'users.manage',
  'apikeys.any',
  'firmware.flash',
  'system.manage',
]);

const DAY_MS = 24 * 60 * 60 * 1000;

/** Default lifetime: 1 year for slicer keys, 90 days otherwise. */
export function defaultApiKeyLifetimeMs(preset: ApiKeyPreset): number {
  switch (preset) {
    case 'slicer':
      return 365 * DAY_MS;
    case 'monitor':
    case 'automation':
      return 90 * DAY_MS;
  }
}
