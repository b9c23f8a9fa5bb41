import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiText } from '../src/openapi/openapi-document.js';
import {
  ADMIN_PASSWORD,
  USER_PASSWORD,
  call,
  completeSetup,
  createUser,
  login,
  startHarness,
  type Harness,
} from './support/harness.js';

describe('OpenAPI document', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    await completeSetup(h);
  });
  afterAll(() => h.close());

  it('matches the committed apps/manager/openapi.json (run `npm run openapi` after changing routes)', () => {
    expect(openApiText(h.app) === readFileSync(OPENAPI_FILE, 'utf8')).toBe(true);
  });

  it('gives every route an operationId and a response schema', () => {
    const doc = JSON.parse(openApiText(h.app)) as {
      paths: Record<string, Record<string, { operationId?: string; responses?: object }>>;
    };
    const ops = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    expect(ops.length).toBeGreaterThan(15);
    for (const op of ops) {
      expect(op.operationId).toBeTruthy();
      expect(Object.keys(op.responses ?? {}).some((status) => status.startsWith('2'))).toBe(true);
    }
  });

  it('is served to admins only', async () => {
    const admin = await login(h, 'admin', ADMIN_PASSWORD);
    await createUser(h, admin, 'ollie', 'operator');
    expect((await h.app.inject({ method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(401);
    const op = await login(h, 'ollie', USER_PASSWORD);
    expect((await call(h, op, { method: 'GET', url: '/api/openapi.json' })).statusCode).toBe(403);
    const res = await call(h, admin, { method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().paths['/api/users']).toBeDefined();
  });
});
