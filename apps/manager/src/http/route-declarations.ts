// Registration fails for a route that declares none of `requires`, `public`
// or `agent` (or more than one), or something malformed: deny by default.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { isPermission } from '@farm/contracts';

export interface RegisteredRoute {
  method: string;
  url: string;
  config: NonNullable<RouteOptions['config']>;
}

export function routeDeclarationProblem(
  route: Pick<RouteOptions, 'method' | 'url' | 'config' | 'schema'>,
): string | null {
  const config = (route.config ?? {}) as {
    requires?: unknown;
    public?: unknown;
    agent?: unknown;
    metricsToken?: unknown;
  };
  const name = `${String(route.method)} ${route.url}`;
  const hasRequires = Array.isArray(config.requires);
  const kinds = [hasRequires, config.public === true, config.agent === true].filter(Boolean).length;
  if (kinds !== 1) return `${name} must declare exactly one of config.requires, config.public or config.agent`;
  if (hasRequires && !(config.requires as unknown[]).every((p) => typeof p === 'string' && isPermission(p))) {
    return `${name} declares an unknown permission`;
  }
  // The scrape token is an extra way into a permission-checked route, never into a public or agent one.
  if (config.metricsToken === true && !hasRequires)
    return `${name} may use config.metricsToken only with config.requires`;
  const schema = route.schema as { operationId?: unknown } | undefined;
  if (typeof schema?.operationId !== 'string') return `${name} needs schema.operationId`;
  return null;
}

/** Enforces declarations and records every route for the permission-matrix test. */
export function enforceRouteDeclarations(app: FastifyInstance, registry: RegisteredRoute[]): void {
  app.addHook('onRoute', (route) => {
    const problem = routeDeclarationProblem(route);
    if (problem) throw new Error(`Route declaration: ${problem}`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) registry.push({ method, url: route.url, config: route.config ?? {} });
  });
}
