// The only code that touches audit_log. Insert and select only: the table
// rejects UPDATE, DELETE and TRUNCATE itself.
import type { Kysely } from 'kysely';
import type { AuditActorKind, AuditOutcome, Database } from '@farm/db';

export interface AuditEntry {
  actorKind: AuditActorKind;
  actorUserId: string | null;
  actorApiKeyId: string | null;
  actorName: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  ip: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  actorUserId?: string | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Rows with an id below this (paging backwards from the newest). */
  before?: number | undefined;
  limit: number;
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

export function createAuditRepository(db: Kysely<Database>) {
  return {
    async insert(entry: AuditEntry): Promise<void> {
      await db
        .insertInto('audit_log')
        .values({
          actor_kind: entry.actorKind,
          actor_user_id: entry.actorUserId,
          actor_api_key_id: entry.actorApiKeyId,
          actor_name: entry.actorName,
          action: entry.action,
          target: entry.target,
          outcome: entry.outcome,
          reason: entry.reason,
          ip: entry.ip,
          request_id: entry.requestId,
        })
        .execute();
    },

    async list(filter: AuditFilter) {
      let q = db
        .selectFrom('audit_log')
        .select([
          'id',
          'at',
          'actor_kind as actorKind',
          'actor_user_id as actorUserId',
          'actor_api_key_id as actorApiKeyId',
          'actor_name as actorName',
          'action',
          'target',
          'outcome',
          'reason',
          'ip',
          'request_id as requestId',
        ])
        .orderBy('id', 'desc')
        .limit(filter.limit);
      if (filter.actorUserId) q = q.where('actor_user_id', '=', filter.actorUserId);
      if (filter.action) q = q.where('action', '=', filter.action);
      if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
      if (filter.from) q = q.where('at', '>=', filter.from);
      if (filter.to) q = q.where('at', '<', filter.to);
      if (filter.before !== undefined) q = q.where('id', '<', filter.before);
      return q.execute();
    },
  };
}
