// API keys: scopes within the owner's current permissions, shown once,
// expiry, revocation, optional group and address restrictions.
import { BlockList, isIP } from 'node:net';
import {
  API_KEY_PRESET_SCOPES,
  AUTOMATION_FORBIDDEN,
  NEVER_KEY_PERMISSIONS,
  defaultApiKeyLifetimeMs,
  permissionsForRole,
  type ApiKeyPreset,
  type Permission,
  type PermissionPolicy,
} from '@farm/contracts';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import { buildApiKeyPrincipal } from '../auth/principal-builder.js';
import type { ApiKeyPrincipal } from '../auth/principal.js';
import type { UsersRepository } from '../users/users.repository.js';
import { apiKeyHash, newApiKey } from './api-key-format.js';
import type { ApiKeyRecord, ApiKeysRepository } from './apikeys.repository.js';

const MAX_LIFETIME_MS = 2 * 365 * 24 * 60 * 60 * 1000;
/** last_used_at moves in steps of this much, not on every request. */
const MARK_USED_EVERY_MS = 60 * 1000;

export interface CreateApiKeyInput {
  name: string;
  preset: ApiKeyPreset;
  /** Only for `automation`: the chosen subset. */
  permissions?: readonly Permission[] | undefined;
  expiresInDays?: number | undefined;
  groupIds?: readonly string[] | undefined;
  allowedCidrs?: readonly string[] | undefined;
}

export interface ApiKeysServiceDeps {
  keys: ApiKeysRepository;
  users: Pick<UsersRepository, 'findById' | 'groupIdsOf'>;
  clock: Clock;
  policy: PermissionPolicy;
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

export function createApiKeysService({ keys, users, clock, policy }: ApiKeysServiceDeps) {
  function scopesFor(
    input: CreateApiKeyInput,
    ownerPermissions: ReadonlySet<Permission>,
    ownerIsAdmin: boolean,
  ): Permission[] {
    let scopes: readonly Permission[];
    switch (input.preset) {
      case 'slicer':
      case 'monitor':
        if (input.permissions !== undefined)
          throw new AppError('scope_not_allowed', { message: 'Presets take no permission list.' });
        scopes = API_KEY_PRESET_SCOPES[input.preset];
        break;
      case 'automation':
        // Automation keys are admin-approved custom subsets.
        if (!ownerIsAdmin) throw new AppError('forbidden', { detail: 'automation keys need an admin' });
        if (!input.permissions || input.permissions.length === 0) {
          throw new AppError('scope_not_allowed', { message: 'Choose the permissions of an automation key.' });
        }
        if (input.permissions.some((p) => AUTOMATION_FORBIDDEN.has(p))) throw new AppError('scope_not_allowed');
        scopes = input.permissions;
        break;
    }
    if (scopes.some((p) => NEVER_KEY_PERMISSIONS.has(p) || !ownerPermissions.has(p)))
      throw new AppError('scope_not_allowed');
    return [...new Set(scopes)];
  }

  return {
    /** Returns the key text once; only its hash is kept. */
    async create(ownerId: string, input: CreateApiKeyInput) {
      const owner = await users.findById(ownerId);
      if (!owner || owner.disabled) throw new AppError('not_found');
      const ownerPermissions = permissionsForRole(owner.role, policy);
      const scopes = scopesFor(input, ownerPermissions, owner.role === 'admin');
      const lifetime =
        input.expiresInDays !== undefined ? input.expiresInDays * 86_400_000 : defaultApiKeyLifetimeMs(input.preset);
      if (lifetime > MAX_LIFETIME_MS)
        throw new AppError('validation_failed', { message: 'Keys live at most two years.' });
      let groupIds: string[] | null = null;
      if (input.groupIds !== undefined) {
        const ownerGroups = owner.role === 'admin' ? null : new Set(await users.groupIdsOf(owner.id));
        if (ownerGroups && input.groupIds.some((g) => !ownerGroups.has(g))) throw new AppError('scope_not_allowed');
        groupIds = [...new Set(input.groupIds)];
      }
      const allowedCidrs = input.allowedCidrs ? [...input.allowedCidrs] : null;
      if (allowedCidrs && !cidrList(allowedCidrs))
        throw new AppError('validation_failed', { message: 'allowedCidrs has an invalid entry.' });
      const generated = newApiKey();
      const record = await keys.insert({
        userId: owner.id,
        name: input.name,
        prefix: generated.prefix,
        keyHash: generated.hash,
        preset: input.preset,
        scopes,
        groupIds,
        allowedCidrs,
        expiresAt: new Date(clock.now().getTime() + lifetime),
      });
      return { key: generated.key, record };
    },

    /** The principal for a key header, or null for unknown, revoked, expired, disabled-owner or wrong-address keys. */
    async principalForKey(text: string, ip: string): Promise<ApiKeyPrincipal | null> {
      const hash = apiKeyHash(text);
      if (!hash) return null;
      const key = await keys.findByHash(hash);
      const now = clock.now();
      if (!key || key.revokedAt !== null || key.expiresAt.getTime() <= now.getTime()) return null;
      if (key.allowedCidrs && !cidrList(key.allowedCidrs)?.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4')) return null;
      const owner = await users.findById(key.userId);
      if (!owner || owner.disabled) return null;
      if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > MARK_USED_EVERY_MS)
        await keys.markUsed(key.id, now);
      const groupIds = owner.role === 'admin' ? [] : await users.groupIdsOf(owner.id);
      return buildApiKeyPrincipal(
        key,
        { id: owner.id, username: owner.username, role: owner.role, totpEnabled: owner.totpEnabled, groupIds },
        policy,
      );
    },

    listOwn: (userId: string) => keys.listForUser(userId),
    listAll: () => keys.listAll(),

    /** Revokes one of the caller's keys; others' keys answer not_found. */
    async revokeOwn(userId: string, keyId: string): Promise<void> {
      const key = await keys.findById(keyId);
      if (!key || key.userId !== userId) throw new AppError('not_found');
      await keys.revoke(keyId, clock.now());
    },

    async revokeAny(keyId: string): Promise<ApiKeyRecord> {
      const key = await keys.findById(keyId);
      if (!key) throw new AppError('not_found');
      await keys.revoke(keyId, clock.now());
      return key;
    },
  };
}

function cidrList(entries: readonly string[]): BlockList | null {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bitsText] = entry.split('/');
    const family = address ? isIP(address) : 0;
    if (!address || family === 0) return null;
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bitsText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const bits = Number(bitsText);
    if (!/^[0-9]{1,3}$/.test(bitsText) || bits > (family === 6 ? 128 : 32)) return null;
    list.addSubnet(address, bits, type);
  }
  return list;
}
