import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFarmCommands, type CliIo } from '../src/cli/farm-commands.js';
import { sha256 } from '../src/auth/secret-tokens.js';
import { startHarness, TEST_HASH_COST, type Harness } from './support/harness.js';

describe('farm CLI commands', () => {
  let h: Harness;
  let lines: string[];
  let io: CliIo;
  const pw = (value: string) => ({ out: (l: string) => lines.push(l), readPassword: async () => value });

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('creates an admin for a headless install, which closes first-start setup', async () => {
    lines = [];
    const commands = createFarmCommands(h.db, { allowFirmwareFlash: false }, { hashCost: TEST_HASH_COST });
    await commands.userCreate({ username: 'ops', role: 'admin' }, pw('headless admin passphrase'));
    expect(lines[0]).toMatch(/^created admin ops /);
    expect(await h.app.services.setup.issueToken()).toBeNull();
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ops', password: 'headless admin passphrase' },
    });
    expect(res.statusCode).toBe(200);
  });

  it('applies the password policy and the key scope rules', async () => {
    lines = [];
    const commands = createFarmCommands(h.db, { allowFirmwareFlash: false }, { hashCost: TEST_HASH_COST });
    await expect(commands.userCreate({ username: 'weak', role: 'viewer' }, pw('password1234'))).rejects.toThrow(
      /common/,
    );
    await expect(commands.userCreate({ username: 'x', role: 'root' }, pw('whatever passphrase 1'))).rejects.toThrow(
      /--role/,
    );
    await expect(
      commands.apikeyCreate({ user: 'ops', name: 'k', scope: 'automation', permission: ['printer.bed_clear'] }, pw('')),
    ).rejects.toThrow();
  });

  it('prints a new key once and stores only its hash', async () => {
    lines = [];
    io = pw('');
    const commands = createFarmCommands(h.db, { allowFirmwareFlash: false }, { hashCost: TEST_HASH_COST });
    await commands.apikeyCreate({ user: 'ops', name: 'slicer', scope: 'slicer' }, io);
    const key = lines[0] ?? '';
    expect(key).toMatch(/^farm_/);
    const row = await h.db
      .selectFrom('api_keys')
      .select(['key_hash', 'scopes'])
      .where('name', '=', 'slicer')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ key_hash: sha256(key), scopes: ['files.upload', 'jobs.create'] });
  });

  it('lists users and resets a password, ending their sessions', async () => {
    lines = [];
    const commands = createFarmCommands(h.db, { allowFirmwareFlash: false }, { hashCost: TEST_HASH_COST });
    const login = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'ops', password: 'headless admin passphrase' },
    });
    const cookie = login.cookies.find((c) => c.name === 'farm_session')?.value ?? '';
    await commands.userResetPassword({ username: 'ops' }, pw('recovered admin passphrase'));
    const after = await h.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: `farm_session=${cookie}` },
    });
    expect(after.statusCode).toBe(401);
    await commands.userList(pw(''));
    expect(lines.some((l) => l.startsWith('ops\tadmin\tactive'))).toBe(true);
  });
});
