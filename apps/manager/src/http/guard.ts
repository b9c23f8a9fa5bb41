// Deny by default. For every request, in order: the setup gate, the
// principal (API key header, else session cookie, never both), CSRF for
// cookies, the route's declared permissions, TOTP enrolment and step-up.
// Agent routes take a host token and nothing else; a host token opens no
// other route. Routes flagged `metricsToken` also admit the scrape token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type {} from '@fastify/cookie';
import { isDangerous } from '@farm/contracts';
import type { AuthService } from '../auth/auth.service.js';
import { hasPermission } from '../auth/authorize.js';
import { csrfProblem, isSafeMethod, isSameOrigin } from '../auth/csrf.js';
import type { Principal, ScraperPrincipal } from '../auth/principal.js';
import { safeEqual, sha256 } from '../auth/secret-tokens.js';
import type { SessionsService } from '../auth/sessions.service.js';
import type { ApiKeysService } from '../apikeys/apikeys.service.js';
import { AppError } from '../errors/app-error.js';
import type { SetupService } from '../setup/setup.service.js';
import type { HostAuthenticator } from '../hosts/host-auth.js';
import { isHostTokenShaped } from '../hosts/host-token.js';
import type { AgentHost } from './fastify-types.js';

export interface GuardDeps {
  auth: Pick<AuthService, 'principalForSession'>;
  apiKeys: Pick<ApiKeysService, 'principalForKey'>;
  sessions: Pick<SessionsService, 'isSteppedUp'>;
  setup: Pick<SetupService, 'isComplete'>;
  sessionCookie: string;
  publicOrigin: string;
  hosts: HostAuthenticator;
  /** The Prometheus scrape token (config METRICS_TOKEN); unset = only `requires` opens metrics routes. */
  metricsToken: string | undefined;
}

const SCRAPER: ScraperPrincipal = Object.freeze({ kind: 'scraper' });

/** The `Authorization: Bearer` token, when there is no X-Api-Key header (a key header always wins). */
function bearerOf(request: FastifyRequest): string | null {
  if (typeof request.headers['x-api-key'] === 'string') return null;
  const authorization = request.headers.authorization;
  if (typeof authorization !== 'string') return null;
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] ?? null;
}

type Credential = { kind: 'apikey'; text: string } | { kind: 'cookie'; value: string } | { kind: 'none' };

/** A key is read from headers only (never the query string or a cookie). */
export function credentialOf(request: FastifyRequest, sessionCookie: string): Credential {
  const keyHeader = request.headers['x-api-key'];
  if (typeof keyHeader === 'string') return { kind: 'apikey', text: keyHeader.trim() };
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return { kind: 'apikey', text: match?.[1] ?? '' };
  }
  const cookie = request.cookies[sessionCookie];
  return cookie ? { kind: 'cookie', value: cookie } : { kind: 'none' };
}

export function needsStepUp(config: { requires?: readonly string[]; stepUp?: boolean }): boolean {
  return config.stepUp === true || (config.requires ?? []).some((p) => isDangerous(p as never));
}

export function registerGuard(app: FastifyInstance, deps: GuardDeps): void {
  app.decorateRequest('agentHost', null);
  // Hashing both sides first keeps the comparison constant-time whatever the lengths.
  const metricsTokenHash = deps.metricsToken === undefined ? null : sha256(deps.metricsToken);

  async function authenticateAgent(request: FastifyRequest): Promise<AgentHost> {
    if (typeof request.headers['x-api-key'] === 'string' || request.cookies[deps.sessionCookie] !== undefined) {
      throw new AppError('unauthenticated', { detail: 'agent routes take a host token only' });
    }
    const token = bearerOf(request);
    const host = token === null ? null : await deps.hosts.authenticate(token);
    if (!host) throw new AppError('unauthenticated', { detail: token === null ? 'no credential' : 'bad host token' });
    return host;
  }

  async function resolvePrincipal(request: FastifyRequest): Promise<{ principal: Principal | null; badKey: boolean }> {
    const credential = credentialOf(request, deps.sessionCookie);
    switch (credential.kind) {
      case 'apikey': {
        const principal = await deps.apiKeys.principalForKey(credential.text, request.ip);
        return { principal, badKey: principal === null };
      }
      case 'cookie':
        return { principal: await deps.auth.principalForSession(credential.value), badKey: false };
      case 'none':
        return { principal: null, badKey: false };
    }
  }

  app.addHook('preParsing', async (request, _reply, payload) => {
    await check(request);
    return payload;
  });

  async function check(request: FastifyRequest): Promise<void> {
    if (request.is404) return;
    const config = request.routeOptions.config;
    if (!config.beforeSetup && !(await deps.setup.isComplete())) throw new AppError('setup_required');
    if (config.agent) {
      request.agentHost = await authenticateAgent(request);
      return;
    }
    const bearer = bearerOf(request);
    if (
      config.metricsToken &&
      bearer !== null &&
      metricsTokenHash !== null &&
      safeEqual(sha256(bearer), metricsTokenHash)
    ) {
      request.principal = SCRAPER;
      return;
    }

    const { principal, badKey } = await resolvePrincipal(request);
    request.principal = principal;

    if (config.public) {
      // Sign-in and setup carry no session yet; still refuse cross-site posts.
      if (!isSafeMethod(request.method) && isSameOrigin(request.headers, deps.publicOrigin) === false) {
        throw new AppError('csrf_failed');
      }
      return;
    }
    if (bearer !== null && isHostTokenShaped(bearer)) {
      throw new AppError('unauthenticated', { detail: 'host tokens open agent routes only' });
    }
    if (!principal) throw new AppError('unauthenticated', { detail: badKey ? 'bad api key' : 'no credential' });
    if (principal.kind === 'user') {
      const problem = csrfProblem(request.method, request.headers, principal.session.csrfToken, deps.publicOrigin);
      if (problem) throw new AppError(problem);
    }
    if (config.sessionOnly && principal.kind !== 'user') throw new AppError('session_only');
    if (principal.kind === 'user' && principal.totpEnrollmentRequired && !config.allowDuringTotpEnrollment) {
      throw new AppError('totp_enrollment_required');
    }
    for (const permission of config.requires ?? []) {
      if (!hasPermission(principal, permission)) throw new AppError('forbidden', { detail: `missing ${permission}` });
    }
    if (needsStepUp(config)) {
      // Keys cannot re-enter a password, so † routes are for people only.
      if (principal.kind !== 'user' || !deps.sessions.isSteppedUp(principal.session.stepUpAt)) {
        throw new AppError('step_up_required');
      }
    }
  }
}
