// Builds principals from database rows: permissions come from the role as it
// is now, so a demotion takes effect on the next request.
import {
  NEVER_KEY_PERMISSIONS,
  isPermission,
  permissionsForRole,
  type Permission,
  type PermissionPolicy,
  type Role,
} from '@farm/contracts';
import type { ApiKeyPrincipal, GroupScope, SessionInfo, UserPrincipal } from './principal.js';

export interface OwnerFacts {
  id: string;
  username: string;
  role: Role;
  totpEnabled: boolean;
  groupIds: readonly string[];
}

export function userGroupScope(role: Role, groupIds: readonly string[]): GroupScope {
  return role === 'admin' ? { kind: 'all' } : { kind: 'groups', groupIds: new Set(groupIds) };
}

export function buildUserPrincipal(
  user: OwnerFacts,
  session: SessionInfo,
  policy: PermissionPolicy & { adminTotpRequired: boolean },
): UserPrincipal {
  return {
    kind: 'user',
    userId: user.id,
    username: user.username,
    role: user.role,
    permissions: permissionsForRole(user.role, policy),
    groups: userGroupScope(user.role, user.groupIds),
    session,
    totpEnrollmentRequired: user.role === 'admin' && policy.adminTotpRequired && !user.totpEnabled,
  };
}

/** A key's effective permissions: its scopes ∩ its owner's current permissions, never bed-clear. */
export function effectiveKeyPermissions(
  scopes: readonly string[],
  ownerRole: Role,
  policy: PermissionPolicy,
): Set<Permission> {
  const owner = permissionsForRole(ownerRole, policy);
  return new Set(scopes.filter(isPermission).filter((p) => owner.has(p) && !NEVER_KEY_PERMISSIONS.has(p)));
}

export function buildApiKeyPrincipal(
  key: { id: string; scopes: readonly string[]; groupIds: readonly string[] | null },
  owner: OwnerFacts,
  policy: PermissionPolicy,
): ApiKeyPrincipal {
  const ownerScope = userGroupScope(owner.role, owner.groupIds);
  let groups: GroupScope = ownerScope;
  if (key.groupIds !== null) {
    const allowed = key.groupIds.filter((g) => ownerScope.kind === 'all' || ownerScope.groupIds.has(g));
    groups = { kind: 'groups', groupIds: new Set(allowed) };
  }
  return {
    kind: 'apikey',
    keyId: key.id,
    userId: owner.id,
    username: owner.username,
    role: owner.role,
    permissions: effectiveKeyPermissions(key.scopes, owner.role, policy),
    groups,
  };
}
