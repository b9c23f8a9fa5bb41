import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { appCommandRules } from '../../scripts/launcher/redis-acl.js';
import { composeSecretNames, generateComposeSecrets } from '../../scripts/secrets/compose-secrets.js';
import { finalStage, interpolations, readCompose, readText } from './compose-file.js';

const compose = readCompose();
const composeText = readText('docker-compose.yml');
const dataServices = ['postgres', 'redis'] as const;
const internalNetworks = Object.entries(compose.networks)
  .filter(([, network]) => network?.internal === true)
  .map(([name]) => name);

describe('docker-compose.yml: network exposure', () => {
  it.each(dataServices)('%s publishes no port', (name) => {
    const service = compose.services[name];
    expect(service).toBeDefined();
    expect(service?.ports).toBeUndefined();
  });

  it.each(dataServices)('%s is attached to internal networks only', (name) => {
    const networks = compose.services[name]?.networks ?? [];
    expect(networks.length).toBeGreaterThan(0); // never the implicit default network
    expect(networks.filter((n) => !internalNetworks.includes(n))).toEqual([]);
  });

  it('publishes the manager on 127.0.0.1 only', () => {
    const ports = compose.services.manager?.ports ?? [];
    expect(ports.length).toBeGreaterThan(0);
    for (const port of ports) expect(String(port)).toMatch(/^127\.0\.0\.1:/);
  });

  it('lets only the manager reach the data network besides Postgres and Redis', () => {
    const onBackend = Object.entries(compose.services)
      .filter(([, s]) => (s.networks ?? []).some((n) => internalNetworks.includes(n)))
      .map(([name]) => name)
      .sort();
    expect(onBackend).toEqual(['manager', 'postgres', 'redis']);
  });
});

describe('docker-compose.yml: secrets', () => {
  it('holds no secret value, only references to .env', () => {
    // Nothing that looks like a generated secret (long hex or base64 runs).
    expect(composeText).not.toMatch(/[0-9a-f]{32,}/i);
    expect(composeText).not.toMatch(/[A-Za-z0-9+/]{40,}={0,2}/);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        if (!/PASSWORD|SECRET|AUTH|_URL$/.test(key) || key === 'PUBLIC_URL') continue;
        expect(interpolations(value), `${name}.${key}`).not.toEqual([]);
      }
    }
  });

  it('fails loudly (${VAR:?...}) when a secret is missing instead of using an empty password', () => {
    const used = interpolations(composeText).filter((i) => (composeSecretNames as readonly string[]).includes(i.name));
    expect(used.length).toBeGreaterThan(0);
    for (const use of used) expect(use.operator, use.name).toBe(':?');
  });

  it('needs no secret that the generator does not write', () => {
    const required = new Set(
      interpolations(composeText)
        .filter((i) => i.operator === ':?')
        .map((i) => i.name),
    );
    expect([...required].filter((name) => !(composeSecretNames as readonly string[]).includes(name))).toEqual([]);
  });

  it('gives the manager a non-superuser database role, not the postgres superuser', () => {
    expect(compose.services.manager?.environment?.DATABASE_URL).toMatch(/^postgres:\/\/farm:\$\{FARM_DB_PASSWORD:\?/);
    expect(compose.services.manager?.environment).not.toHaveProperty('POSTGRES_PASSWORD');
    expect(readText('deploy/postgres/initdb/10-farm-role.sh')).toMatch(
      /CREATE ROLE farm LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE/,
    );
  });
});

describe('docker-compose.yml: Redis access control', () => {
  const command = compose.services.redis?.command ?? [];
  // ['redis-server', '--user', 'default', 'off', '--user', 'farm', ...] → [['default', 'off'], ['farm', ...]]
  const directives: { name: string; args: string[] }[] = [];
  for (const arg of command.slice(1)) {
    if (arg.startsWith('--')) directives.push({ name: arg.slice(2), args: [] });
    else directives.at(-1)?.args.push(arg);
  }
  const userDirectives = directives.filter((d) => d.name === 'user').map((d) => d.args);

  it('disables the default user', () => {
    expect(userDirectives).toContainEqual(['default', 'off']);
  });

  it('gives the farm user a password hash and the same command rules as the local launcher', () => {
    const farm = userDirectives.find((d) => d[0] === 'farm') ?? [];
    expect(farm.slice(0, 3)).toEqual(['farm', 'reset', 'on']);
    expect(farm[3]).toBe('#${REDIS_PASSWORD_SHA256:?missing; run `npm run secrets` to generate .env}');
    expect(farm.slice(4)).toEqual(appCommandRules);
  });

  it('never evicts keys (BullMQ)', () => {
    expect(command.join(' ')).toContain('--maxmemory-policy noeviction');
  });
});

describe('docker-compose.yml: health and hardening', () => {
  it.each(['postgres', 'redis'])('%s has a healthcheck the manager waits for', (name) => {
    expect(compose.services[name]?.healthcheck?.test?.length).toBeGreaterThan(0);
    expect(compose.services.manager?.depends_on?.[name]?.condition).toBe('service_healthy');
  });

  it('runs the manager with a read-only root, no capabilities and no privilege gain', () => {
    const manager = compose.services.manager;
    expect(manager?.read_only).toBe(true);
    expect(manager?.cap_drop).toEqual(['ALL']);
    expect(manager?.security_opt).toContain('no-new-privileges:true');
    expect(manager?.user).toBeUndefined(); // the image's non-root user applies
  });
});

describe('Dockerfile', () => {
  const stage = finalStage(readText('Dockerfile'));
  const last = (instruction: string): string | undefined =>
    stage.filter((i) => i.instruction === instruction).at(-1)?.args;

  it('runs the app as a non-root user', () => {
    const user = last('USER');
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const userIndex = stage.findIndex((i) => i.instruction === 'USER');
    expect(stage.slice(userIndex).some((i) => i.instruction === 'RUN')).toBe(false);
  });

  it('runs compiled JavaScript with NODE_ENV=production, not TypeScript through tsx', () => {
    expect(stage.some((i) => i.instruction === 'ENV' && /NODE_ENV=production/.test(i.args))).toBe(true);
    expect(stage.map((i) => i.args).join('\n')).not.toContain('tsx');
  });

  it('starts node and its healthcheck in exec form (JSON), not through a shell', () => {
    expect(JSON.parse(last('CMD') ?? '')).toEqual(['node', 'dist/manager/main.js']);
    const healthcheck = last('HEALTHCHECK') ?? '';
    expect(JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4))).toEqual(
      expect.arrayContaining(['node', '-e']),
    );
  });

  it('installs production dependencies only in the runtime image', () => {
    expect(stage.some((i) => i.instruction === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);
  });

  it('keeps secrets, local data and installed modules out of the build context', () => {
    const ignored = readText('.dockerignore').split('\n');
    for (const entry of ['.env', 'data', '**/node_modules', 'dist', '.git']) expect(ignored).toContain(entry);
  });
});

describe('generated compose secrets', () => {
  const counter = (() => {
    let n = 0;
    return (bytes: number): Buffer => Buffer.alloc(bytes, ++n);
  })();
  const secrets = generateComposeSecrets(counter);

  it('makes every secret from 32 random bytes, each different', () => {
    const values = composeSecretNames.filter((n) => n !== 'REDIS_PASSWORD_SHA256').map((n) => secrets[n]);
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('gives Redis only the SHA-256 of the password the manager uses', () => {
    expect(secrets.REDIS_PASSWORD_SHA256).toBe(createHash('sha256').update(secrets.REDIS_PASSWORD).digest('hex'));
  });
});
