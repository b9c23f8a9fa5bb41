// Database types: one interface per table, kept in step with migrations/.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type UserRole = 'viewer' | 'operator' | 'admin';
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  username: string;
  /** argon2id PHC string. */
  password_hash: string;
  role: UserRole;
  disabled: Generated<boolean>;
  /** Sealed `v<key version>:...` (AES-256-GCM, bound to the user id), never the bare base32 seed. */
  totp_secret: string | null;
  totp_enabled: Generated<boolean>;
  /** sha256 of each unused recovery code. */
  recovery_code_hashes: ColumnType<string[], string[] | undefined, string[]>;
  password_changed_at: DefaultTimestamp;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface SessionsTable {
  /** HMAC of the cookie value; the raw id never reaches the database. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  step_up_at: Timestamp | null;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiKeysTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  /** Shown in lists so people can tell keys apart; not secret. */
  prefix: string;
  key_hash: string;
  preset: 'slicer' | 'monitor' | 'automation';
  scopes: string[];
  group_ids: string[] | null;
  allowed_cidrs: string[] | null;
  expires_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  created_at: DefaultTimestamp;
}

export interface PrinterGroupsTable {
  id: Generated<string>;
  name: string;
  created_at: DefaultTimestamp;
}

export interface PrintersTable {
  id: Generated<string>;
  group_id: string;
  name: string;
  enabled: Generated<boolean>;
  host_id: string | null;
  usb_serial: string | null;
  usb_vendor_id: string | null;
  usb_product_id: string | null;
  port_path: string | null;
  device_path: string | null;
  /** A PrinterProfile (@farm/contracts), validated at the API. */
  profile: ColumnType<unknown, string, string>;
  retired_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface HostsTable {
  id: Generated<string>;
  name: string;
  /** The token's 8 hex digits after `fh_`, in clear: finds the row. */
  token_prefix: string;
  /** sha256 hex of the whole token. */
  token_hash: string;
  created_at: DefaultTimestamp;
  created_by: string | null;
  last_seen_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface UserGroupsTable {
  user_id: string;
  group_id: string;
}

export type AuditActorKind = 'user' | 'apikey' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'denied' | 'failure';

export interface AuditLogTable {
  id: Generated<number>;
  at: DefaultTimestamp;
  actor_kind: AuditActorKind;
  actor_user_id: string | null;
  actor_api_key_id: string | null;
  actor_name: string | null;
  action: string;
  target: string | null;
  outcome: AuditOutcome;
  reason: string | null;
  ip: string | null;
  request_id: string | null;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_at: DefaultTimestamp;
  updated_by: string | null;
}

export interface SetupStateTable {
  id: number;
  token_hash: string;
  expires_at: Timestamp;
  completed_at: Timestamp | null;
  completed_by: string | null;
}

export type SafetyAcknowledgementKind = 'unattended_printing' | 'network_exposure';

export interface SafetyAcknowledgementsTable {
  id: Generated<number>;
  user_id: string;
  kind: SafetyAcknowledgementKind;
  acknowledged_at: DefaultTimestamp;
}

export interface InvitesTable {
  id: Generated<string>;
  token_hash: string;
  role: UserRole;
  group_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
  used_by: string | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  api_keys: ApiKeysTable;
  printer_groups: PrinterGroupsTable;
  printers: PrintersTable;
  hosts: HostsTable;
  user_groups: UserGroupsTable;
  audit_log: AuditLogTable;
  settings: SettingsTable;
  setup_state: SetupStateTable;
  safety_acknowledgements: SafetyAcknowledgementsTable;
  invites: InvitesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiKeyRow = Selectable<ApiKeysTable>;
export type AuditRow = Selectable<AuditLogTable>;
