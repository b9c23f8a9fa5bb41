// What every route declares, and what the guard attaches to each request.
import type { Permission } from '@farm/contracts';
import type { Principal } from '../auth/principal.js';
import type { ErrorCode } from '../errors/error-codes.js';

/** The host agent a host-token request comes from (agent routes only). */
export interface AgentHost {
  id: string;
  name: string;
}

export interface AuditNote {
  /** What the request acted on, e.g. a user id. */
  target?: string;
  /** For logins and setup: who the actor turned out to be. */
  actorUserId?: string;
  actorName?: string;
  /** Replaces the route's audit action for this request (e.g. with the control command's kind). */
  action?: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Permissions the principal must hold (all of them). `[]` = any signed-in principal. */
    requires?: readonly Permission[];
    /** On the short public allowlist (setup, login, health, static). */
    public?: boolean;
    /** Host-agent API: only a host token (`Authorization: Bearer fh_…`) gets in; sessions and API keys never do. */
    agent?: boolean;
    /** Besides `requires`, admits `Authorization: Bearer <METRICS_TOKEN>` as a permission-less `scraper` principal. */
    metricsToken?: boolean;
    /** Human sessions only; API keys are refused. */
    sessionOnly?: boolean;
    /** Needs a password re-entry within 5 minutes; implied by any † permission. */
    stepUp?: boolean;
    /** Answers before the first admin exists (setup, health). */
    beforeSetup?: boolean;
    /** Reachable by an admin who still has to enrol TOTP. */
    allowDuringTotpEnrollment?: boolean;
    /** Never rate limited (emergency stop). */
    rateLimitExempt?: boolean;
    /** Audit action name; defaults to the route's operationId. */
    auditAction?: string;
  }

  interface FastifyRequest {
    principal: Principal | null;
    /** Set on agent routes only; `request.host` is Fastify's own (the Host header). */
    agentHost: AgentHost | null;
    errorCode: ErrorCode | undefined;
    auditNote: AuditNote;
  }
}
