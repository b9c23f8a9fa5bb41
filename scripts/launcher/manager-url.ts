// Where the local host agent reaches the manager `npm start` runs: the address
// the manager listens on (HOST, PORT), never PUBLIC_URL (that may be a reverse
// proxy in front). A wildcard listen address is reached through loopback. Pure.
import type { LaunchEnv } from './plan.js';

const defaultPort = 3000;

/** The manager's TCP port from PORT (default 3000); 0 means "any free port", which the launcher picks. */
export function managerPort(env: LaunchEnv): number {
  const raw = env.PORT?.trim();
  if (!raw) return defaultPort;
  const port = Number(raw);
  // A bad PORT is the manager's to report (with every other bad variable).
  return Number.isInteger(port) && port >= 0 && port <= 65535 ? port : defaultPort;
}

export function managerUrl(env: LaunchEnv, port: number): string {
  const host = env.HOST?.trim() || '127.0.0.1';
  return `http://${hostForUrl(reachableHost(host))}:${port}`;
}

function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '::1';
  return host;
}

function hostForUrl(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
