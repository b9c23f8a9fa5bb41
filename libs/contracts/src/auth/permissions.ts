// The permission list and default role matrix of SECURITY.md ("Permission list
// and default matrix"). This file is the one place they are written down; the
// manager enforces them and the dashboard only mirrors them.

export const PERMISSIONS = [
  'printer.read',
  'webcam.view',
  'jobs.read',
  'files.read',
  'terminal.read',
  'files.download',
  'files.upload',
  'files.manage_own',
  'files.manage_any',
  'jobs.create',
  'jobs.control_own',
  'jobs.cancel_any',
  'jobs.reorder_any',
  'printer.connect',
  'printer.control',
  'printer.estop',
  'printer.reset',
  'printer.bed_clear',
  'terminal.send',
  'terminal.send_restricted',
  'printer.manage',
  'firmware.flash',
  'webcam.manage',
  'users.read',
  'users.manage',
  'apikeys.own',
  'apikeys.any',
  'settings.read',
  'settings.manage',
  'audit.read',
  'system.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** † in SECURITY.md: step-up re-authentication within 5 minutes, always audited. */
export const DANGEROUS_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'terminal.send_restricted',
  'printer.manage',
  'firmware.flash',
  'webcam.manage',
  'users.manage',
  'apikeys.any',
  'settings.manage',
  'system.manage',
]);

const VIEWER: readonly Permission[] = ['printer.read', 'webcam.view', 'jobs.read', 'files.read', 'settings.read'];

const OPERATOR: readonly Permission[] = [
  ...VIEWER,
  'terminal.read',
  'files.download',
  'files.upload',
  'files.manage_own',
  'jobs.create',
  'jobs.control_own',
  'printer.connect',
  'printer.control',
  'printer.estop',
  'printer.reset',
  'printer.bed_clear',
  'terminal.send',
  'apikeys.own',
];

// Admin holds everything except firmware.flash, which only the server flag
// ALLOW_FIRMWARE_FLASH adds (see permissionsForRole).
const ADMIN: readonly Permission[] = PERMISSIONS.filter((p) => p !== 'firmware.flash');

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  viewer: VIEWER,
  operator: OPERATOR,
  admin: ADMIN,
};

export interface PermissionPolicy {
  /** Server flag ALLOW_FIRMWARE_FLASH; not changeable from the UI. */
  allowFirmwareFlash: boolean;
}

export function permissionsForRole(role: Role, policy: PermissionPolicy): ReadonlySet<Permission> {
  const granted = new Set<Permission>(ROLE_PERMISSIONS[role]);
  if (role === 'admin' && policy.allowFirmwareFlash) granted.add('firmware.flash');
  return granted;
}

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

export function isDangerous(permission: Permission): boolean {
  return DANGEROUS_PERMISSIONS.has(permission);
}
