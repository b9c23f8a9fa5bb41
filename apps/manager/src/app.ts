// The manager as a Fastify instance: external plugins first, then the
// security pipeline, then routes. Tests build it unchanged from buildApp.
import { randomUUID } from 'node:crypto';
import fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { Kysely } from 'kysely';
import type { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import type { Database } from '@farm/db';
import type { ManagerConfig } from './config/index.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger } from './logging/logger.js';
import { registerErrorHandler } from './errors/error-handler.js';
import { enforceRouteDeclarations, type RegisteredRoute } from './http/route-declarations.js';
import { registerGuard } from './http/guard.js';
import { registerSharedSchemas } from './http/schemas.js';
import './http/fastify-types.js';
import { createServices, type Services } from './services.js';
import { registerAuditHook } from './audit/audit.hook.js';
import { sessionCookieName } from './auth/session-cookie.js';
import { healthRoutes } from './health/health.routes.js';
import { setupRoutes } from './setup/setup.routes.js';
import { authRoutes } from './auth/auth.routes.js';
import { usersRoutes } from './users/users.routes.js';
import { apiKeysRoutes } from './apikeys/apikeys.routes.js';
import { printersRoutes } from './printers/printers.routes.js';
import { auditRoutes } from './audit/audit.routes.js';
import { openapiRoutes } from './openapi/openapi.routes.js';
import { createLiveStateReader } from './live/live-state.js';
import type { AreaContext } from './area-context.js';
import { registerHostsArea } from './hosts/index.js';
import { createHostAuthenticator } from './hosts/host-auth.js';
import { registerControlArea } from './control/index.js';
import { registerLiveFeedArea } from './live-feed/index.js';
import { registerObservabilityArea } from './observability/index.js';
import { OPENAPI_OPTIONS } from './openapi/openapi.options.js';
import type { ThrottleLimits } from './auth/login-throttle.js';
import type { HashCost } from './auth/password-hasher.js';

export interface AppDeps {
  config: ManagerConfig;
  db: Kysely<Database>;
  redis: Redis;
  /** Where logs go (tests capture them); stdout when absent. */
  logDestination?: DestinationStream;
  clock?: Clock;
  /** Sign-in throttling limits (tests lower them). */
  throttle?: Partial<ThrottleLimits>;
  /** argon2id cost; tests lower it to stay fast. */
  hashCost?: HashCost;
  /** Requests per minute per client address across the API. */
  rateLimitPerMinute?: number;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its declared config, in registration order. */
    routeRegistry: readonly RegisteredRoute[];
    services: Services;
  }
}

/** JSON bodies beyond this are refused (uploads have their own limits). */
export const BODY_LIMIT_BYTES = 256 * 1024;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config, db, redis } = deps;
  const clock = deps.clock ?? systemClock;
  const logger = createLogger(config.logLevel, deps.logDestination);
  const app = fastify({
    loggerInstance: logger,
    // Forwarding headers are believed only from configured proxies.
    trustProxy: config.trustedProxies.length > 0 ? [...config.trustedProxies] : false,
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    // Unknown fields are refused, not silently dropped (mass assignment).
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true } },
  }) as unknown as FastifyInstance;

  const registry: RegisteredRoute[] = [];
  const cookieName = sessionCookieName(config.secureCookies);
  const services = createServices({ config, db, redis, clock, throttle: deps.throttle, hashCost: deps.hashCost });
  app.decorate('routeRegistry', registry);
  app.decorate('services', services);
  app.decorateRequest('principal', null);
  app.decorateRequest('errorCode', undefined);
  app.decorateRequest('auditNote', null as never);
  app.addHook('onRequest', async (request) => {
    request.auditNote = {};
  });

  registerErrorHandler(app);
  registerSharedSchemas(app);
  enforceRouteDeclarations(app, registry);
  // JSON only: a cross-site HTML form cannot produce application/json.
  app.removeContentTypeParser(['text/plain']);

  await app.register(helmet, {
    global: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    hsts: config.secureCookies ? { maxAge: 31536000, includeSubDomains: true } : false,
  });
  await app.register(cookie);
  await app.register(rateLimit, {
    global: true,
    max: deps.rateLimitPerMinute ?? 600,
    timeWindow: 60_000,
    redis,
    nameSpace: `${config.redisPrefix}rate-limit:`,
    // Emergency stop (and anything else flagged) is never rate limited.
    allowList: (request) => request.routeOptions.config.rateLimitExempt === true,
    skipOnError: true,
  });
  await app.register(swagger, OPENAPI_OPTIONS);

  // The guard runs at preParsing so that the rate limiter's onRequest runs first.
  registerGuard(app, {
    auth: services.auth,
    apiKeys: services.apiKeys,
    sessions: services.sessions,
    setup: services.setup,
    sessionCookie: cookieName,
    publicOrigin: config.publicOrigin,
    hosts: createHostAuthenticator(db),
    metricsToken: config.metricsToken,
  });
  registerAuditHook(app, services.auditLog);

  await app.register(healthRoutes({ db, redis }));
  await app.register(setupRoutes({ setup: services.setup }));
  await app.register(
    authRoutes({ auth: services.auth, sessions: services.sessions, cookieName, secureCookies: config.secureCookies }),
  );
  await app.register(usersRoutes({ users: services.users, invites: services.invites, groups: services.printerGroups }));
  await app.register(apiKeysRoutes({ apiKeys: services.apiKeys }));
  const liveState = createLiveStateReader(redis, config.redisPrefix);
  await app.register(printersRoutes({ printers: services.printers, liveState }));
  await app.register(auditRoutes({ audit: services.auditLog }));
  const area: AreaContext = { config, db, redis, clock, services, liveState };
  await registerHostsArea(app, area);
  await registerControlArea(app, area);
  await registerLiveFeedArea(app, area);
  await registerObservabilityArea(app, area);
  await app.register(openapiRoutes());
  return app;
}
