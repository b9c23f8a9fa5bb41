// The one authorization service: does this principal hold this permission,
// and is the object inside their printer groups? Objects outside answer 404
// so their existence is not disclosed.
import type { Permission } from '@farm/contracts';
import { AppError } from '../errors/app-error.js';
import type { GroupScope, Principal } from './principal.js';

export interface ResourceScope {
  /** The printer group the object belongs to (printers, their jobs and files). */
  groupId?: string | null;
}

export function hasPermission(principal: Principal, permission: Permission): boolean {
  switch (principal.kind) {
    case 'system':
      // Workers act for the farm, never flash firmware on their own.
      return permission !== 'firmware.flash';
    case 'scraper':
      return false;
    case 'user':
    case 'apikey':
      return principal.permissions.has(permission);
  }
}

export function inGroupScope(scope: GroupScope, groupId: string | null | undefined): boolean {
  switch (scope.kind) {
    case 'all':
      return true;
    case 'groups':
      return groupId !== null && groupId !== undefined && scope.groupIds.has(groupId);
  }
}

export function groupScopeOf(principal: Principal): GroupScope {
  switch (principal.kind) {
    case 'system':
      return { kind: 'all' };
    case 'scraper':
      return { kind: 'groups', groupIds: new Set() };
    case 'user':
    case 'apikey':
      return principal.groups;
  }
}

/**
 * Throws `not_found` when a scoped object is outside the principal's groups,
 * `forbidden` when the permission is missing. Object scope is checked first
 * so a forbidden answer never confirms that a hidden object exists.
 */
export function authorize(principal: Principal | null, permission: Permission, resource?: ResourceScope): void {
  if (!principal) throw new AppError('unauthenticated');
  if (resource && 'groupId' in resource && !inGroupScope(groupScopeOf(principal), resource.groupId)) {
    throw new AppError('not_found');
  }
  if (!hasPermission(principal, permission)) throw new AppError('forbidden', { detail: `missing ${permission}` });
}

/**
 * For `*_own` / `*_any` pairs: acting on your own object needs `own`, on
 * anyone else's needs `any`.
 */
export function authorizeOwned(
  principal: Principal | null,
  own: Permission,
  any: Permission,
  object: ResourceScope & { ownerId: string | null },
): void {
  if (!principal) throw new AppError('unauthenticated');
  const mine = (principal.kind === 'user' || principal.kind === 'apikey') && object.ownerId === principal.userId;
  authorize(principal, mine ? own : any, object);
}
