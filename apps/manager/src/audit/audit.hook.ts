// One audit row for every state-changing request (and so every login), written
// before the response leaves: who, what, on what, outcome, why, from where.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AuditOutcome } from '@farm/db';
import type { AuditEntry, AuditRepository } from './audit.repository.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function auditEntryFor(request: FastifyRequest, reply: FastifyReply): AuditEntry | null {
  if (SAFE_METHODS.has(request.method) || request.is404) return null;
  const status = reply.statusCode;
  const outcome: AuditOutcome = status < 400 ? 'success' : status === 401 || status === 403 ? 'denied' : 'failure';
  // A host agent reports every few seconds; the hosts area audits the changes a report causes.
  if (request.agentHost && outcome === 'success') return null;
  const principal = request.principal;
  const note = request.auditNote;
  const config = request.routeOptions.config;
  const schema = request.routeOptions.schema as { operationId?: string } | undefined;
  const action =
    note.action ?? config.auditAction ?? schema?.operationId ?? `${request.method} ${request.routeOptions.url ?? ''}`;
  const params = request.params as Record<string, unknown> | undefined;
  const target = note.target ?? (typeof params?.id === 'string' ? params.id : null);
  const base = {
    action,
    target,
    outcome,
    reason: outcome === 'success' ? null : (request.errorCode ?? `http_${status}`),
    ip: request.ip,
    requestId: request.id,
  };
  switch (principal?.kind) {
    case 'user':
      return {
        ...base,
        actorKind: 'user',
        actorUserId: principal.userId,
        actorApiKeyId: null,
        actorName: principal.username,
      };
    case 'apikey':
      return {
        ...base,
        actorKind: 'apikey',
        actorUserId: principal.userId,
        actorApiKeyId: principal.keyId,
        actorName: principal.username,
      };
    case 'system':
      return { ...base, actorKind: 'system', actorUserId: null, actorApiKeyId: null, actorName: 'system' };
    case 'scraper':
      return { ...base, actorKind: 'anonymous', actorUserId: null, actorApiKeyId: null, actorName: 'metrics-scraper' };
    case undefined:
      if (request.agentHost)
        return {
          ...base,
          actorKind: 'system',
          actorUserId: null,
          actorApiKeyId: null,
          actorName: `host:${request.agentHost.name}`,
        };
      // Sign-in and setup name who it was about, even before there is a principal.
      return {
        ...base,
        actorKind: note.actorUserId ? 'user' : 'anonymous',
        actorUserId: note.actorUserId ?? null,
        actorApiKeyId: null,
        actorName: note.actorName ?? null,
      };
  }
}

export function registerAuditHook(app: FastifyInstance, audit: Pick<AuditRepository, 'insert'>): void {
  app.addHook('onSend', async (request, reply, payload) => {
    const entry = auditEntryFor(request, reply);
    if (entry) {
      try {
        await audit.insert(entry);
      } catch (err) {
        request.log.error({ err }, 'audit write failed');
      }
    }
    return payload;
  });
}
