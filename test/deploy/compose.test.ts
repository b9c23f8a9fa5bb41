import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HOST_TOKEN_PATTERN } from '@farm/contracts';
import { buildTargets } from '../../scripts/bundle/targets.js';
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

  it('lets only the manager and the host agent reach the data network besides Postgres and Redis', () => {
    const onBackend = Object.entries(compose.services)
      .filter(([, s]) => (s.networks ?? []).some((n) => internalNetworks.includes(n)))
      .map(([name]) => name)
      .sort();
    expect(onBackend).toEqual(['agent', 'manager', 'postgres', 'redis']);
  });

  it('publishes no port of the host agent', () => {
    expect(compose.services.agent).toBeDefined();
    expect(compose.services.agent?.ports).toBeUndefined();
    expect(compose.services.agent?.expose).toBeUndefined();
  });
});

describe('docker-compose.yml: secrets', () => {
  it('holds no secret value, only references to .env', () => {
    // Nothing that looks like a generated secret (long hex or base64 runs).
    expect(composeText).not.toMatch(/[0-9a-f]{32,}/i);
    expect(composeText).not.toMatch(/[A-Za-z0-9+/]{40,}={0,2}/);
    for (const [name, service] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(service.environment ?? {})) {
        // PUBLIC_URL and MANAGER_URL are addresses, not credentials.
        if (!/PASSWORD|SECRET|AUTH|TOKEN|_URL$/.test(key) || key === 'PUBLIC_URL' || key === 'MANAGER_URL') continue;
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

describe('docker-compose.yml: the host agent', () => {
  const agent = compose.services.agent ?? {};
  const environment = agent.environment ?? {};

  it('is the only service with devices, and never privileged', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.privileged, name).not.toBe(true);
      if (name === 'agent') continue;
      expect(service.devices, name).toBeUndefined();
      expect(service.device_cgroup_rules, name).toBeUndefined();
      expect(service.group_add, name).toBeUndefined();
    }
    expect(compose.services.manager?.devices).toBeUndefined();
  });

  it('gets the serial devices named by a variable, the serial links and udev read-only, and the serial group', () => {
    const devices = agent.devices ?? [];
    expect(devices.length).toBeGreaterThan(0);
    for (const device of devices) expect(interpolations(device).map((i) => i.name)).toContain('FARM_SERIAL_DEVICE');
    expect(agent.volumes).toEqual(expect.arrayContaining(['/dev/serial:/dev/serial:ro', '/run/udev:/run/udev:ro']));
    // Nothing else of the host's /dev: a /dev bind would hand over every pseudo-terminal too.
    expect((agent.volumes ?? []).filter((v) => v.startsWith('/dev'))).toEqual(['/dev/serial:/dev/serial:ro']);
    expect(agent.group_add).toEqual(['${FARM_SERIAL_GROUP:-dialout}']);
  });

  it('takes its token and Redis password from the env file, the same token the manager registers', () => {
    expect(environment.HOST_TOKEN).toMatch(/^\$\{LOCAL_HOST_TOKEN:\?/);
    expect(compose.services.manager?.environment?.LOCAL_HOST_TOKEN).toBe(environment.HOST_TOKEN);
    expect(environment.REDIS_URL).toBe(compose.services.manager?.environment?.REDIS_URL);
    expect(environment.REDIS_PREFIX).toBe(compose.services.manager?.environment?.REDIS_PREFIX);
    expect(environment).not.toHaveProperty('DATABASE_URL');
    expect(environment).not.toHaveProperty('SESSION_SECRET');
    expect(environment).not.toHaveProperty('JOB_SIGNING_SECRET');
  });

  it('reaches the manager service on its container port and waits for a healthy Redis', () => {
    expect(environment.MANAGER_URL).toBe(`http://manager:${compose.services.manager?.environment?.PORT}`);
    expect(agent.depends_on?.redis?.condition).toBe('service_healthy');
    expect(agent.depends_on?.manager).toBeDefined();
  });

  it('drives real hardware by default: no virtual printers in the image', () => {
    expect(environment.AGENT_VIRTUAL_PRINTERS).toBe('${AGENT_VIRTUAL_PRINTERS:-none}');
  });

  it('runs the compiled agent from the same image, which also holds the compiled port worker', () => {
    expect(agent.image).toBe(compose.services.manager?.image);
    expect(agent.command).toEqual(['node', 'dist/agent/main.js']);
    const built = buildTargets.map((t) => `dist/${t.name}/main.js`);
    expect(built).toEqual(
      expect.arrayContaining(['dist/agent/main.js', 'dist/port-worker/main.js', 'dist/exit-with-parent/main.js']),
    );
    const workerCommand = /AGENT_WORKER_COMMAND='([^']+)'/.exec(readText('Dockerfile'))?.[1] ?? '';
    expect(JSON.parse(workerCommand)).toEqual([
      'node',
      '--import',
      '/app/dist/exit-with-parent/main.js',
      '/app/dist/port-worker/main.js',
    ]);
  });

  it("installs the agent's and port worker's npm dependencies in the runtime image", () => {
    const install = finalStage(readText('Dockerfile')).find((i) => /npm ci --omit=dev/.test(i.args))?.args ?? '';
    expect(install).toContain('--workspace=@farm/manager');
    expect(install).toContain('--workspace=@farm/worker');
  });

  it('restarts unless stopped, with a read-only root, no capabilities, no privilege gain and an init', () => {
    expect(agent.restart).toBe('unless-stopped');
    expect(agent.read_only).toBe(true);
    expect(agent.cap_drop).toEqual(['ALL']);
    expect(agent.security_opt).toContain('no-new-privileges:true');
    expect(agent.init).toBe(true);
    expect(agent.user).toBeUndefined(); // the image's non-root user applies
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
    const values = composeSecretNames
      .filter((n) => n !== 'REDIS_PASSWORD_SHA256' && n !== 'LOCAL_HOST_TOKEN')
      .map((n) => secrets[n]);
    for (const value of values) expect(value).toMatch(/^[0-9a-f]{64}$/);
    expect(new Set(values).size).toBe(values.length);
  });

  it('makes a host token for the local agent in the shape the manager accepts', () => {
    expect(secrets.LOCAL_HOST_TOKEN).toMatch(new RegExp(HOST_TOKEN_PATTERN));
  });

  it('gives Redis only the SHA-256 of the password the manager uses', () => {
    expect(secrets.REDIS_PASSWORD_SHA256).toBe(createHash('sha256').update(secrets.REDIS_PASSWORD).digest('hex'));
  });
});
