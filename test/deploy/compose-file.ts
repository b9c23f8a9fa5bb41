// Reads docker-compose.yml, the Dockerfile and .dockerignore for the deployment tests.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);

export interface ComposeService {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  ports?: unknown[];
  expose?: unknown[];
  networks?: string[];
  healthcheck?: { test?: string[] };
  depends_on?: Record<string, { condition?: string }>;
  read_only?: boolean;
  cap_drop?: string[];
  security_opt?: string[];
  user?: string;
  restart?: string;
  init?: boolean;
  privileged?: boolean;
  devices?: string[];
  device_cgroup_rules?: string[];
  group_add?: string[];
  volumes?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  networks: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
}

export function readText(relative: string): string {
  return readFileSync(new URL(relative, root), 'utf8');
}

export function readCompose(): ComposeFile {
  return parse(readText('docker-compose.yml')) as ComposeFile;
}

/** Variables a compose value interpolates: `${NAME}`, `${NAME:-default}`, `${NAME:?message}`. */
export function interpolations(value: string): { name: string; operator: string }[] {
  return [...value.matchAll(/\$\{([A-Z0-9_]+)(:[-?])?[^}]*\}/g)].map((m) => ({
    name: m[1] ?? '',
    operator: m[2] ?? '',
  }));
}

/** The instructions of the Dockerfile's last stage (the image that runs). */
export function finalStage(dockerfile: string): { instruction: string; args: string }[] {
  const joined = dockerfile.replace(/\\\n/g, ' ');
  const lines = joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const lastFrom = lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true);
  return lines.slice(lastFrom).map((line) => {
    const [instruction = '', ...rest] = line.split(/\s+/);
    return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
  });
}
