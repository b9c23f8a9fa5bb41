// Who is making a request. A request is a session, an API key or (for
// workers, never over HTTP) the system; never two at once.
import type { Permission, Role } from '@farm/contracts';

/** Printer groups a principal may see. Admins (and the system) see all. */
export type GroupScope = { kind: 'all' } | { kind: 'groups'; groupIds: ReadonlySet<string> };

export interface SessionInfo {
  idHash: string;
  csrfToken: string;
  createdAt: Date;
  stepUpAt: Date | null;
}

export interface UserPrincipal {
  kind: 'user';
  userId: string;
  username: string;
  role: Role;
  permissions: ReadonlySet<Permission>;
  groups: GroupScope;
  session: SessionInfo;
  /** Admin without TOTP while ADMIN_TOTP_REQUIRED: may only enrol it. */
  totpEnrollmentRequired: boolean;
}

export interface ApiKeyPrincipal {
  kind: 'apikey';
  keyId: string;
  userId: string;
  username: string;
  role: Role;
  /** scopes ∩ the owner's current permissions. */
  permissions: ReadonlySet<Permission>;
  groups: GroupScope;
}

export interface SystemPrincipal {
  kind: 'system';
}

/** A Prometheus scraper holding the metrics token: no permissions, admitted only by routes flagged `metricsToken`. */
export interface ScraperPrincipal {
  kind: 'scraper';
}

export type Principal = UserPrincipal | ApiKeyPrincipal | SystemPrincipal | ScraperPrincipal;

export function principalUserId(principal: Principal): string | null {
  switch (principal.kind) {
    case 'user':
    case 'apikey':
      return principal.userId;
    case 'system':
    case 'scraper':
      return null;
  }
}
