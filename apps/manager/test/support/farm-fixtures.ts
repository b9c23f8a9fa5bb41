// The farm around the manager's live tests: the app after setup with its admin
// signed in, users per role, printer groups, hosts and printers, the agent's
// side of the host API, and the documents a port worker leaves in Redis.
// Tests say what they check; this builds what they check it against.
import type { LightMyRequestResponse } from 'fastify';
import {
  liveKeys,
  MemoryNonceStore,
  PRINTER_PRESETS,
  verifyControlText,
  type ControlKey,
  type DetectedPort,
  type LiveKeys,
  type PrinterLiveState,
  type PrinterProfile,
  type VerifyResult,
  type WorkerHeartbeat,
} from '@farm/contracts';
import { newHostToken } from '../../src/hosts/host-token.js';
import {
  ADMIN_PASSWORD,
  USER_PASSWORD,
  call,
  completeSetup,
  createUser,
  login,
  startHarness,
  type Harness,
  type HarnessOptions,
  type Session,
} from './harness.js';

export interface Farm {
  h: Harness;
  keys: LiveKeys;
  /** The first admin ('admin'), signed in just now (a fresh step-up). */
  admin: Session;
}

/** The app after setup, with its first admin signed in. */
export async function startFarm(options: HarnessOptions = {}): Promise<Farm> {
  const h = await startHarness(options);
  await completeSetup(h);
  const admin = await login(h, 'admin', ADMIN_PASSWORD);
  return { h, keys: liveKeys(h.config.redisPrefix), admin };
}

// ---- users and groups ----

/** Re-enters the password, as a † route asks once the last entry is over five minutes old. */
export const stepUp = (h: Harness, session: Session, password = ADMIN_PASSWORD): Promise<LightMyRequestResponse> =>
  call(h, session, { method: 'POST', url: '/api/auth/step-up', payload: { password } });

/** A user with `role`, limited to `groupIds` when given, signed in. */
export async function addUser(
  h: Harness,
  admin: Session,
  username: string,
  role: 'viewer' | 'operator' | 'admin',
  groupIds?: string[],
): Promise<Session> {
  await createUser(h, admin, username, role, groupIds);
  return login(h, username, USER_PASSWORD);
}

/** The usual crew beside the admin: an operator ('oper1') and a viewer ('viewer1'), both of the default group. */
export async function addCrew(h: Harness, admin: Session): Promise<{ operator: Session; viewer: Session }> {
  return {
    operator: await addUser(h, admin, 'oper1', 'operator'),
    viewer: await addUser(h, admin, 'viewer1', 'viewer'),
  };
}

/** A printer group written straight to Postgres (the groups API is tested on its own). */
export async function addGroup(h: Harness, name: string): Promise<string> {
  return (await h.db.insertInto('printer_groups').values({ name }).returning('id').executeTakeFirstOrThrow()).id;
}

/** The group every farm starts with. */
export async function defaultGroupId(h: Harness): Promise<string> {
  return (await h.db.selectFrom('printer_groups').select('id').where('name', '=', 'Default').executeTakeFirstOrThrow())
    .id;
}

// ---- hosts and the agent API ----

export interface HostRef {
  id: string;
  token: string;
}

/** A host row straight in Postgres with a working token: tests that are not about the hosts API, or run before setup. */
export async function insertHost(h: Harness, name: string, options: { revoked?: boolean } = {}): Promise<HostRef> {
  const issued = newHostToken();
  const row = await h.db
    .insertInto('hosts')
    .values({
      name,
      token_prefix: issued.prefix,
      token_hash: issued.hash,
      revoked_at: options.revoked ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, token: issued.token };
}

export interface HostJson {
  id: string;
  name: string;
  online: boolean;
  revokedAt: string | null;
  lastSeenAt: string | null;
}

/** A host through the admin API: its record and the token shown that once. */
export async function createHost(h: Harness, admin: Session, name: string): Promise<HostRef & { host: HostJson }> {
  const res = await call(h, admin, { method: 'POST', url: '/api/hosts', payload: { name } });
  if (res.statusCode !== 201) throw new Error(`create host: ${res.statusCode} ${res.body}`);
  const body = res.json<{ host: HostJson; token: string }>();
  return { id: body.host.id, token: body.token, host: body.host };
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** What a host agent polls. */
export const agentState = (h: Harness, token: string): Promise<LightMyRequestResponse> =>
  h.app.inject({ method: 'GET', url: '/api/agent/state', headers: bearer(token) });

/** A host agent's report of the ports it sees now. */
export const reportPorts = (h: Harness, token: string, ports: DetectedPort[]): Promise<LightMyRequestResponse> =>
  h.app.inject({ method: 'PUT', url: '/api/agent/ports', headers: bearer(token), payload: { ports } });

/** A serial port as an agent reports it: new and not virtual unless told otherwise. */
export function detectedPort(
  path: string,
  match: DetectedPort['match'] = { kind: 'new' },
  extra: Partial<DetectedPort> = {},
): DetectedPort {
  return { path, byId: [], byPath: [], virtual: false, match, ...extra };
}

// ---- a farm for tests of group scope and host keys ----

/** Two groups (the default one and 'Lab B') and two hosts in Postgres. */
export interface TwoGroupFarm extends Farm {
  /** 'oper1' and 'viewer1', of the default group. */
  operator: Session;
  viewer: Session;
  /** 'outsider', an operator of Lab B only. */
  outsider: Session;
  labB: string;
  /** 'host-a' and 'host-b': rows only, no agent behind them. */
  hostA: string;
  hostB: string;
}

/** The app after setup with the admin, the crew, an outsider of Lab B, and two hosts, all signed in or written. */
export async function startTwoGroupFarm(): Promise<TwoGroupFarm> {
  const farm = await startFarm();
  const { h, admin } = farm;
  const labB = await addGroup(h, 'Lab B');
  return {
    ...farm,
    ...(await addCrew(h, admin)),
    outsider: await addUser(h, admin, 'outsider', 'operator', [labB]),
    labB,
    hostA: (await insertHost(h, 'host-a')).id,
    hostB: (await insertHost(h, 'host-b')).id,
  };
}

// ---- printers ----

/** A copy of a preset's profile. */
export function presetProfile(id: string): PrinterProfile {
  const preset = PRINTER_PRESETS.find((p) => p.id === id);
  if (!preset) throw new Error(`no ${id} preset`);
  return structuredClone(preset.profile);
}

/** An Ender-3 with a second tool: caps of 260 and 300 °C, a bed at 110 °C and no chamber, for tests that probe caps. */
export function testProfile(): PrinterProfile {
  return {
    ...presetProfile('creality-ender-3'),
    model: 'Two-tool test printer',
    heaters: { hotendsMaxC: [260, 300], bedMaxC: 110 },
  };
}

/** A printer through the admin API, as an admin adopts one by hand; its id. */
export async function createPrinter(
  h: Harness,
  admin: Session,
  name: string,
  identity: Record<string, unknown> = {},
  extra: { groupId?: string; profile?: PrinterProfile } = {},
): Promise<string> {
  const res = await call(h, admin, {
    method: 'POST',
    url: '/api/printers',
    payload: {
      name,
      identity,
      profile: extra.profile ?? testProfile(),
      ...(extra.groupId ? { groupId: extra.groupId } : {}),
    },
  });
  if (res.statusCode !== 201) throw new Error(`create printer: ${res.statusCode} ${res.body}`);
  return res.json<{ printer: { id: string } }>().printer.id;
}

/** A printer row straight in Postgres (no API checks: names the API would refuse are possible); its id. */
export async function insertPrinter(
  h: Harness,
  name: string,
  where: { groupId?: string; hostId?: string | null } = {},
): Promise<string> {
  const row = await h.db
    .insertInto('printers')
    .values({
      name,
      group_id: where.groupId ?? (await defaultGroupId(h)),
      host_id: where.hostId ?? null,
      profile: JSON.stringify(testProfile()),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

// ---- what a port worker writes to Redis ----

/** A worker's live state document: idle with no heaters unless `fields` say otherwise. */
export function liveState(printerId: string, fields: Partial<PrinterLiveState> = {}): PrinterLiveState {
  return { printerId, hostId: 'host-1', status: 'idle', updatedAt: 1_000, heaters: [], ...fields };
}

/** Writes a printer's live state as its worker does; anything else given is written as is, to test bad documents. */
export async function writeLiveState(
  h: Harness,
  printerId: string,
  doc: PrinterLiveState | object | string,
): Promise<void> {
  await h.redis.set(
    liveKeys(h.config.redisPrefix).printerState(printerId),
    typeof doc === 'string' ? doc : JSON.stringify(doc),
  );
}

/** Writes a worker heartbeat for the printer, expiring after `ttlSeconds`. */
export async function writeHeartbeat(
  h: Harness,
  printerId: string,
  beat: Partial<WorkerHeartbeat> = {},
  ttlSeconds = 60,
): Promise<void> {
  const full: WorkerHeartbeat = { printerId, hostId: 'host-1', pid: 4242, at: 1, ...beat };
  await h.redis.set(liveKeys(h.config.redisPrefix).heartbeat(printerId), JSON.stringify(full), 'EX', ttlSeconds);
}

/** Checks signed control text as a freshly started worker holding `key` would, against the app's clock. */
export function verifyAsWorker(h: Harness, raw: string, key: ControlKey): VerifyResult {
  return verifyControlText(raw, { key, now: h.clock.now().getTime(), nonces: new MemoryNonceStore() });
}
