// Wiring: repositories and services built once per app, each service given
// only what it uses.
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { Database } from '@farm/db';
import type { ManagerConfig } from './config/index.js';
import type { Clock } from './clock.js';
import { createUsersRepository } from './users/users.repository.js';
import { createSessionsRepository } from './auth/sessions.repository.js';
import { createApiKeysRepository } from './apikeys/apikeys.repository.js';
import { createAuditRepository } from './audit/audit.repository.js';
import { createSetupRepository } from './setup/setup.repository.js';
import { createInvitesRepository } from './users/invites.repository.js';
import { createPrinterGroupsRepository } from './users/printer-groups.repository.js';
import { createPasswordHasher, type HashCost } from './auth/password-hasher.js';
import { createSessionsService } from './auth/sessions.service.js';
import { createLoginThrottle, type ThrottleLimits } from './auth/login-throttle.js';
import { createTotpVerifier } from './auth/totp.js';
import { createTotpSecrets } from './auth/totp-secrets.js';
import { createSecretBox } from './crypto/secret-box.js';
import { createAuthService } from './auth/auth.service.js';
import { createApiKeysService } from './apikeys/apikeys.service.js';
import { createUsersService } from './users/users.service.js';
import { createInvitesService } from './users/invites.service.js';
import { createSetupService } from './setup/setup.service.js';
import { createPrintersRepository } from './printers/printers.repository.js';
import { createPrintersService } from './printers/printers.service.js';

export interface ServicesDeps {
  config: ManagerConfig;
  db: Kysely<Database>;
  redis: Redis;
  clock: Clock;
  throttle?: Partial<ThrottleLimits> | undefined;
  hashCost?: HashCost | undefined;
}

export type Services = ReturnType<typeof createServices>;

export function createServices({ config, db, redis, clock, throttle, hashCost }: ServicesDeps) {
  const policy = { allowFirmwareFlash: config.allowFirmwareFlash, adminTotpRequired: config.adminTotpRequired };
  const usersRepo = createUsersRepository(db);
  const hasher = createPasswordHasher(hashCost);
  // One key version for now; rotation adds the next version here and keeps the old one for reading.
  const totpSecrets = createTotpSecrets(createSecretBox({ current: 'v1', secrets: { v1: config.dataEncryptionKey } }));
  const sessions = createSessionsService({
    sessions: createSessionsRepository(db),
    clock,
    sessionSecret: config.sessionSecret,
  });
  const auth = createAuthService({
    users: usersRepo,
    sessions,
    hasher,
    throttle: createLoginThrottle(redis, config.redisPrefix, throttle),
    totp: createTotpVerifier(redis, config.redisPrefix, clock),
    totpSecrets,
    policy,
  });
  const users = createUsersService({ users: usersRepo, sessions, hasher, clock });
  return {
    hasher,
    sessions,
    auth,
    /** Seals TOTP rows left in plain text or under an older key; the manager runs it at start. */
    resealTotpSecrets: () => totpSecrets.resealAll(usersRepo),
    users,
    invites: createInvitesService({
      invites: createInvitesRepository(db),
      users,
      clock,
      publicOrigin: config.publicOrigin,
    }),
    apiKeys: createApiKeysService({ keys: createApiKeysRepository(db), users: usersRepo, clock, policy }),
    setup: createSetupService({ setup: createSetupRepository(db), users: usersRepo, hasher, clock }),
    auditLog: createAuditRepository(db),
    printerGroups: createPrinterGroupsRepository(db),
    printers: createPrintersService({ printers: createPrintersRepository(db), clock }),
  };
}
