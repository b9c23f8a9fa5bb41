import { describe, expect, it } from 'vitest';
import { permissionsForRole } from '@farm/contracts';
import { AppError } from '../errors/app-error.js';
import { authorize, authorizeOwned } from './authorize.js';
import type { UserPrincipal } from './principal.js';

function user(role: 'viewer' | 'operator' | 'admin', groups: string[] | 'all'): UserPrincipal {
  return {
    kind: 'user',
    userId: `${role}-id`,
    username: role,
    role,
    permissions: permissionsForRole(role, { allowFirmwareFlash: false }),
    groups: groups === 'all' ? { kind: 'all' } : { kind: 'groups', groupIds: new Set(groups) },
    session: { idHash: 'h', csrfToken: 'c', createdAt: new Date(0), stepUpAt: null },
    totpEnrollmentRequired: false,
  };
}

const codeOf = (fn: () => void) => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof AppError ? error.code : 'other';
  }
};

describe('authorize', () => {
  it('answers not_found for an object outside the principal’s groups, even without the permission', () => {
    expect(codeOf(() => authorize(user('operator', ['farm-a']), 'printer.control', { groupId: 'farm-b' }))).toBe(
      'not_found',
    );
    expect(codeOf(() => authorize(user('viewer', ['farm-a']), 'printer.control', { groupId: 'farm-b' }))).toBe(
      'not_found',
    );
    expect(codeOf(() => authorize(user('operator', []), 'printer.read', { groupId: null }))).toBe('not_found');
  });

  it('answers forbidden inside the groups when the role lacks the permission', () => {
    expect(codeOf(() => authorize(user('viewer', ['farm-a']), 'printer.control', { groupId: 'farm-a' }))).toBe(
      'forbidden',
    );
    expect(codeOf(() => authorize(user('operator', ['farm-a']), 'printer.control', { groupId: 'farm-a' }))).toBe('ok');
  });

  it('gives admins every group but never firmware.flash unless the server allows it', () => {
    expect(codeOf(() => authorize(user('admin', 'all'), 'printer.manage', { groupId: 'any' }))).toBe('ok');
    expect(codeOf(() => authorize(user('admin', 'all'), 'firmware.flash'))).toBe('forbidden');
    expect(codeOf(() => authorize(null, 'printer.read'))).toBe('unauthenticated');
  });

  it('needs the _any permission for someone else’s object', () => {
    const op = user('operator', ['g']);
    expect(
      codeOf(() => authorizeOwned(op, 'files.manage_own', 'files.manage_any', { ownerId: op.userId, groupId: 'g' })),
    ).toBe('ok');
    expect(
      codeOf(() => authorizeOwned(op, 'files.manage_own', 'files.manage_any', { ownerId: 'other', groupId: 'g' })),
    ).toBe('forbidden');
  });
});
