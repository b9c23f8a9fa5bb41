import { describe, expect, it } from 'vitest';
import { API_KEY_PRESET_SCOPES, AUTOMATION_FORBIDDEN } from './api-key-scopes.js';
import { DANGEROUS_PERMISSIONS, PERMISSIONS, ROLE_PERMISSIONS, permissionsForRole } from './permissions.js';

describe('role matrix (SECURITY.md)', () => {
  it('gives viewers read-only status, cameras, queue, files and settings', () => {
    expect([...ROLE_PERMISSIONS.viewer].sort()).toEqual([
      'files.read',
      'jobs.read',
      'printer.read',
      'settings.read',
      'webcam.view',
    ]);
  });

  it('gives operators the day-to-day farm but no configuration, users or firmware', () => {
    const op = new Set(ROLE_PERMISSIONS.operator);
    for (const p of ['printer.estop', 'printer.bed_clear', 'terminal.send', 'jobs.control_own', 'apikeys.own'] as const)
      expect(op.has(p)).toBe(true);
    for (const p of DANGEROUS_PERMISSIONS) expect(op.has(p)).toBe(false);
    for (const p of ['users.read', 'audit.read', 'jobs.cancel_any', 'files.manage_any'] as const)
      expect(op.has(p)).toBe(false);
  });

  it('gives admins everything except firmware.flash, which only the server flag adds', () => {
    expect(permissionsForRole('admin', { allowFirmwareFlash: false }).size).toBe(PERMISSIONS.length - 1);
    expect(permissionsForRole('admin', { allowFirmwareFlash: false }).has('firmware.flash')).toBe(false);
    expect(permissionsForRole('admin', { allowFirmwareFlash: true }).has('firmware.flash')).toBe(true);
    expect(permissionsForRole('operator', { allowFirmwareFlash: true }).has('firmware.flash')).toBe(false);
  });

  it('marks exactly the † permissions as dangerous', () => {
    expect([...DANGEROUS_PERMISSIONS].sort()).toEqual([
      'apikeys.any',
      'firmware.flash',
      'printer.manage',
      'settings.manage',
      'system.manage',
      'terminal.send_restricted',
      'users.manage',
      'webcam.manage',
    ]);
  });

  it('keeps key presets away from bed-clear and the automation blocklist', () => {
    expect(API_KEY_PRESET_SCOPES.slicer).toEqual(['files.upload', 'jobs.create']);
    expect(API_KEY_PRESET_SCOPES.monitor).toEqual(['printer.read', 'jobs.read', 'webcam.view']);
    for (const p of [
      'printer.bed_clear',
      'users.manage',
      'users.read',
      'apikeys.any',
      'firmware.flash',
      'system.manage',
    ] as const) {
      expect(AUTOMATION_FORBIDDEN.has(p)).toBe(true);
    }
  });
});
