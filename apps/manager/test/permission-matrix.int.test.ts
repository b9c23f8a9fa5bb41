// Every registered route, called anonymously, as each role, with each key
// scope, as a host agent and as the metrics scraper, against the permission
// matrix of SECURITY.md (libs/contracts).
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY_PRESET_SCOPES, permissionsForRole, type Permission, type Role } from '@farm/contracts';
import { buildApp } from '../src/app.js';
import { needsStepUp } from '../src/http/guard.js';
import {
  ADMIN_PASSWORD,
  ORIGIN,
  call,
  completeSetup,
  createKey,
  createUser,
  login,
  startHarness,
  TEST_HASH_COST,
  type Harness,
} from './support/harness.js';
import { ROUTES as HOSTS_ROUTES } from './permission-tables/hosts.js';
import { ROUTES as CONTROL_ROUTES } from './permission-tables/control.js';
import { ROUTES as LIVE_FEED_ROUTES } from './permission-tables/live-feed.js';
import { ROUTES as OBSERVABILITY_ROUTES } from './permission-tables/observability.js';

/** The public allowlist: adding to it is a security decision, made here on purpose. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/setup/status',
  'POST /api/setup',
  'POST /api/auth/login',
  'POST /api/invites/accept',
]);

/** The foundation's declarations, pinned (a changed declaration must change this table). */
const PINNED: Record<string, readonly Permission[] | 'public' | 'agent'> = {
  'GET /api/health': 'public',
  'POST /api/setup': 'public',
  'POST /api/auth/login': 'public',
  'GET /api/auth/session': [],
  'POST /api/auth/logout': [],
  'POST /api/auth/step-up': [],
  'POST /api/auth/password': [],
  'GET /api/users': ['users.read'],
  'POST /api/users': ['users.manage'],
  'PATCH /api/users/:id': ['users.manage'],
  'DELETE /api/users/:id': ['users.manage'],
  'POST /api/users/:id/reset-password': ['users.manage'],
  'POST /api/users/invites': ['users.manage'],
  'POST /api/users/:id/reset-totp': ['users.manage'],
  'GET /api/apikeys': ['apikeys.own'],
  'POST /api/apikeys': ['apikeys.own'],
  'DELETE /api/apikeys/:id': ['apikeys.own'],
  'GET /api/admin/apikeys': ['apikeys.any'],
  'DELETE /api/admin/apikeys/:id': ['apikeys.any'],
  'GET /api/audit': ['audit.read'],
  'GET /api/openapi.json': ['audit.read'],
  'GET /api/printers': ['printer.read'],
  'GET /api/printer-presets': ['printer.read'],
  'GET /api/printers/:id': ['printer.read'],
  'POST /api/printers': ['printer.manage'],
  'PATCH /api/printers/:id': ['printer.manage'],
  'POST /api/printers/:id/retire': ['printer.manage'],
  'POST /api/printer-groups': ['users.manage'],
  'PATCH /api/printer-groups/:id': ['users.manage'],
  'DELETE /api/printer-groups/:id': ['users.manage'],
  // Each live-farm area pins its own routes in its table.
  ...HOSTS_ROUTES,
  ...CONTROL_ROUTES,
  ...LIVE_FEED_ROUTES,
  ...OBSERVABILITY_ROUTES,
};

const policy = { allowFirmwareFlash: false };
const AUTOMATION: Permission[] = ['printer.read', 'printer.control', 'jobs.create', 'audit.read', 'settings.manage'];

type Caller =
  | { name: 'anonymous' }
  | { name: Role; userId: string }
  | { name: `key:${string}`; key: string; permissions: ReadonlySet<Permission> }
  /** A host agent's token: agent routes only. */
  | { name: 'host'; bearer: string }
  /** The Prometheus scrape token: routes flagged `metricsToken` only. */
  | { name: 'metrics-token'; bearer: string };

/** 401 or 403: the caller is turned away, whichever the reason. */
type Expected = 'allowed' | 401 | 403 | 'refused';

function expectedFor(route: { config: RouteConfig }, caller: Caller, held: ReadonlySet<Permission>): Expected {
  const config = route.config;
  if (config.public) return 'allowed';
  if (config.agent) return caller.name === 'host' ? 'allowed' : caller.name === 'anonymous' ? 401 : 'refused';
  switch (caller.name) {
    case 'anonymous':
      return 401;
    case 'host':
      return 'refused';
    case 'metrics-token':
      return config.metricsToken ? 'allowed' : 401;
    default:
      break;
  }
  const requires = config.requires ?? [];
  if (!requires.every((p) => held.has(p))) return 403;
  if (caller.name.startsWith('key:') && (config.sessionOnly || needsStepUp(config))) return 403;
  return 'allowed';
}

type RouteConfig = Harness['app']['routeRegistry'][number]['config'];

describe('route permission matrix', () => {
  let h: Harness;
  const callers: Caller[] = [{ name: 'anonymous' }];
  const metricsToken = randomBytes(32).toString('base64url');

  beforeAll(async () => {
    h = await startHarness({ env: { METRICS_TOKEN: metricsToken } });
    const adminUser = await completeSetup(h);
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    const operator = await createUser(h, admin, 'oper1', 'operator');
    const viewer = await createUser(h, admin, 'viewer1', 'viewer');
    callers.push(
      { name: 'admin', userId: adminUser.id },
      { name: 'operator', userId: operator.id },
      { name: 'viewer', userId: viewer.id },
    );
    const opSession = await login(h, 'oper1', 'operator-Passphrase-9731');
    const operatorPerms = permissionsForRole('operator', policy);
    for (const preset of ['slicer', 'monitor'] as const) {
      const { key } = await createKey(h, opSession, { name: preset, preset });
      callers.push({
        name: `key:${preset}`,
        key,
        permissions: new Set(API_KEY_PRESET_SCOPES[preset].filter((p) => operatorPerms.has(p))),
      });
    }
    const { key } = await createKey(h, admin, { name: 'automation', preset: 'automation', permissions: AUTOMATION });
    callers.push({ name: 'key:automation', key, permissions: new Set(AUTOMATION) });
    const host = await call(h, admin, { method: 'POST', url: '/api/hosts', payload: { name: 'matrix-host' } });
    if (host.statusCode !== 201) throw new Error(`create host failed: ${host.statusCode} ${host.body}`);
    callers.push({ name: 'host', bearer: host.json<{ token: string }>().token });
    callers.push({ name: 'metrics-token', bearer: metricsToken });
  });
  afterAll(() => h.close());

  const routes = () => h.app.routeRegistry.filter((r) => r.method !== 'HEAD');

  it('pins the declarations of the foundation routes and the public allowlist', () => {
    const declared = new Map(
      routes().map((r) => [
        `${r.method} ${r.url}`,
        r.config.public ? 'public' : r.config.agent ? 'agent' : r.config.requires,
      ]),
    );
    for (const [route, expected] of Object.entries(PINNED))
      expect({ route, declared: declared.get(route) }).toEqual({ route, declared: expected });
    for (const r of routes()) if (r.config.public) expect(PUBLIC_ROUTES).toContain(`${r.method} ${r.url}`);
  });

  it('answers every route for every caller as the matrix says', async () => {
    const mismatches: string[] = [];
    for (const route of routes()) {
      const url = route.url.replace(/:([A-Za-z]+)/g, () => randomUUID());
      for (const caller of callers) {
        const headers: Record<string, string> = { origin: ORIGIN };
        let held: ReadonlySet<Permission> = new Set();
        if ('userId' in caller) {
          // A fresh, stepped-up session per call, so logout or password routes cannot spoil the next one.
          const s = await h.app.services.sessions.create(caller.userId, { ip: '127.0.0.1', userAgent: null });
          headers.cookie = `farm_session=${s.id}`;
          headers['x-csrf-token'] = s.csrfToken;
          held = permissionsForRole(caller.name, policy);
        } else if ('key' in caller) {
          headers['x-api-key'] = caller.key;
          held = caller.permissions;
        } else if ('bearer' in caller) {
          headers.authorization = `Bearer ${caller.bearer}`;
        }
        const res = await h.app.inject({
          method: route.method as 'GET',
          url,
          headers,
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: {} }),
        });
        const expected = expectedFor(route, caller, held);
        const got = res.statusCode === 401 || res.statusCode === 403 ? res.statusCode : 'allowed';
        const matches = expected === 'refused' ? got !== 'allowed' : got === expected;
        if (!matches)
          mismatches.push(
            `${route.method} ${route.url} as ${caller.name}: expected ${expected}, got ${res.statusCode} ${res.body}`,
          );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('refuses to register a route that declares no permission', async () => {
    const app = await buildApp({ config: h.config, db: h.db, redis: h.redis, hashCost: TEST_HASH_COST });
    try {
      await expect(
        (async () => {
          app.get('/api/undeclared', { schema: { operationId: 'x.y' } }, async () => 'open');
          await app.ready();
        })(),
      ).rejects.toThrow(/must declare/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });

  it('refuses to register a route with an unknown permission', async () => {
    const app = await buildApp({ config: h.config, db: h.db, redis: h.redis, hashCost: TEST_HASH_COST });
    try {
      await expect(
        (async () => {
          app.get(
            '/api/typo',
            { config: { requires: ['printer.reed' as Permission] }, schema: { operationId: 'x.z' } },
            async () => 'open',
          );
          await app.ready();
        })(),
      ).rejects.toThrow(/unknown permission/);
    } finally {
      await app.close().catch(() => undefined);
    }
  });
});
