// Sign-in, step-up, own password change and TOTP enrolment: the rules.
import type { PermissionPolicy } from '@farm/contracts';
import { AppError } from '../errors/app-error.js';
import type { UsersRepository } from '../users/users.repository.js';
import type { LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { assertPasswordAcceptable } from './password-policy.js';
import { buildUserPrincipal } from './principal-builder.js';
import type { UserPrincipal } from './principal.js';
import type { SessionsService } from './sessions.service.js';
import type { TotpSecrets } from './totp-secrets.js';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, otpauthUrl, type TotpVerifier } from './totp.js';

export interface AuthServiceDeps {
  users: Pick<
    UsersRepository,
    | 'findAuthByUsername'
    | 'findAuthById'
    | 'groupIdsOf'
    | 'setPasswordHash'
    | 'setPendingTotpSecret'
    | 'enableTotp'
    | 'consumeRecoveryCode'
  >;
  sessions: SessionsService;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  totp: TotpVerifier;
  totpSecrets: TotpSecrets;
  policy: PermissionPolicy & { adminTotpRequired: boolean };
}

export interface Credentials {
  username: string;
  password: string;
  totp?: string | undefined;
  recoveryCode?: string | undefined;
}

export interface ClientMeta {
  ip: string;
  userAgent: string | null;
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: AuthServiceDeps) {
  const { users, sessions, hasher, throttle, totp, totpSecrets, policy } = deps;

  async function fail(username: string, ip: string, detail: string): Promise<never> {
    await throttle.recordFailure(username, ip);
    throw new AppError('invalid_credentials', { detail });
  }

  async function secondFactor(
    user: { id: string; totpSecret: string | null },
    creds: Credentials,
    ip: string,
    username: string,
  ) {
    if (creds.totp !== undefined) {
      if (user.totpSecret && (await totp.verify(user.id, totpSecrets.open(user.id, user.totpSecret), creds.totp)))
        return;
      await fail(username, ip, 'wrong totp');
    }
    if (creds.recoveryCode !== undefined) {
      if (await users.consumeRecoveryCode(user.id, hashRecoveryCode(creds.recoveryCode))) return;
      await fail(username, ip, 'wrong recovery code');
    }
    throw new AppError('totp_required');
  }

  return {
    /** Unknown user, disabled user and wrong password all answer alike, after one argon2 verify each. */
    async login(creds: Credentials, meta: ClientMeta) {
      await throttle.assertAllowed(creds.username, meta.ip);
      const user = await users.findAuthByUsername(creds.username);
      if (!user) {
        await hasher.verifyDummy(creds.password);
        return fail(creds.username, meta.ip, 'unknown user');
      }
      const ok = await hasher.verify(user.passwordHash, creds.password);
      if (!ok || user.disabled) return fail(creds.username, meta.ip, ok ? 'disabled user' : 'wrong password');
      if (user.totpEnabled) await secondFactor(user, creds, meta.ip, creds.username);
      await throttle.recordSuccess(creds.username, meta.ip);
      const session = await sessions.create(user.id, { ip: meta.ip, userAgent: meta.userAgent });
      return { user: { id: user.id, username: user.username, role: user.role }, ...session };
    },

    /** The principal behind a session cookie, or null when it is unknown, expired or its user disabled. */
    async principalForSession(cookieValue: string, options: { touch?: boolean } = {}): Promise<UserPrincipal | null> {
      const session = await sessions.resolve(cookieValue, options);
      if (!session) return null;
      const user = await users.findAuthById(session.userId);
      if (!user || user.disabled) {
        await sessions.revoke(session.idHash);
        return null;
      }
      const groupIds = user.role === 'admin' ? [] : await users.groupIdsOf(user.id);
      return buildUserPrincipal(
        { id: user.id, username: user.username, role: user.role, totpEnabled: user.totpEnabled, groupIds },
        {
          idHash: session.idHash,
          csrfToken: session.csrfToken,
          createdAt: session.createdAt,
          stepUpAt: session.stepUpAt,
        },
        policy,
      );
    },

    logout: (principal: UserPrincipal) => sessions.revoke(principal.session.idHash),

    /** Password (and TOTP when enrolled) again; opens the 5-minute window for † actions. */
    async stepUp(principal: UserPrincipal, input: { password: string; totp?: string | undefined }, ip: string) {
      await throttle.assertAllowed(principal.username, ip);
      const user = await users.findAuthById(principal.userId);
      if (!user) throw new AppError('unauthenticated');
      if (!(await hasher.verify(user.passwordHash, input.password)))
        return fail(principal.username, ip, 'wrong password');
      if (user.totpEnabled)
        await secondFactor(user, { username: user.username, password: '', totp: input.totp }, ip, user.username);
      return sessions.markSteppedUp(principal.session.idHash);
    },

    /** Needs the current password; every session of the user ends. */
    async changeOwnPassword(
      principal: UserPrincipal,
      input: { currentPassword: string; newPassword: string },
      ip: string,
    ) {
      await throttle.assertAllowed(principal.username, ip);
      const user = await users.findAuthById(principal.userId);
      if (!user) throw new AppError('unauthenticated');
      if (!(await hasher.verify(user.passwordHash, input.currentPassword))) {
        return fail(principal.username, ip, 'wrong current password');
      }
      assertPasswordAcceptable(input.newPassword, user.username);
      await users.setPasswordHash(user.id, await hasher.hash(input.newPassword));
      await sessions.revokeAllForUser(user.id);
    },

    async beginTotpEnrollment(principal: UserPrincipal, password: string, ip: string) {
      await throttle.assertAllowed(principal.username, ip);
      const user = await users.findAuthById(principal.userId);
      if (!user) throw new AppError('unauthenticated');
      if (user.totpEnabled) throw new AppError('conflict', { message: 'Two-factor authentication is already on.' });
      if (!(await hasher.verify(user.passwordHash, password))) return fail(principal.username, ip, 'wrong password');
      const secret = newTotpSecret();
      await users.setPendingTotpSecret(user.id, totpSecrets.seal(user.id, secret));
      return { secret, otpauthUrl: otpauthUrl(secret, user.username) };
    },

    /** Turns TOTP on once a code from the new secret checks out; returns recovery codes once. */
    async confirmTotpEnrollment(principal: UserPrincipal, code: string) {
      const user = await users.findAuthById(principal.userId);
      if (!user) throw new AppError('unauthenticated');
      if (user.totpEnabled) throw new AppError('conflict', { message: 'Two-factor authentication is already on.' });
      if (!user.totpSecret) throw new AppError('conflict', { message: 'Start enrolment first.' });
      if (!(await totp.verify(user.id, totpSecrets.open(user.id, user.totpSecret), code)))
        throw new AppError('invalid_credentials', { detail: 'wrong totp' });
      const recoveryCodes = newRecoveryCodes();
      await users.enableTotp(user.id, recoveryCodes.map(hashRecoveryCode));
      return { recoveryCodes };
    },
  };
}
