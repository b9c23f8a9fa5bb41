// One-time invite links (24 h): an admin picks role and groups, the invitee
// picks username and password.
import type { Role } from '@farm/contracts';
import type { Clock } from '../clock.js';
import { AppError } from '../errors/app-error.js';
import { newToken, sha256 } from '../auth/secret-tokens.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import type { InvitesRepository } from './invites.repository.js';
import type { UsersService } from './users.service.js';

export const INVITE_LIFETIME_MS = 24 * 60 * 60 * 1000;

export interface InvitesServiceDeps {
  invites: InvitesRepository;
  users: Pick<UsersService, 'create'>;
  clock: Clock;
  publicOrigin: string;
}

export type InvitesService = ReturnType<typeof createInvitesService>;

export function createInvitesService({ invites, users, clock, publicOrigin }: InvitesServiceDeps) {
  return {
    async create(createdBy: string, input: { role: Role; groupIds?: readonly string[] | undefined }) {
      const token = newToken();
      const invite = await invites.insert({
        tokenHash: sha256(token),
        role: input.role,
        groupIds: [...new Set(input.groupIds ?? [])],
        createdBy,
        expiresAt: new Date(clock.now().getTime() + INVITE_LIFETIME_MS),
      });
      return { id: invite.id, expiresAt: invite.expiresAt, url: `${publicOrigin}/invite?token=${token}`, token };
    },

    /** Claims the invite, then creates the account; if that fails the invite is released again. */
    async accept(input: { token: string; username: string; password: string }) {
      assertPasswordAcceptable(input.password, input.username);
      const claimed = await invites.claim(sha256(input.token), clock.now());
      if (!claimed) throw new AppError('invalid_token');
      try {
        const user = await users.create({
          username: input.username,
          password: input.password,
          role: claimed.role,
          groupIds: claimed.groupIds.length > 0 ? claimed.groupIds : undefined,
        });
        await invites.markUsedBy(claimed.id, user.id);
        return user;
      } catch (error) {
        await invites.release(claimed.id);
        throw error;
      }
    },
  };
}
