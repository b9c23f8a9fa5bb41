// Registration fails for a route that declares neither `requires` nor
// `public`, or that declares something malformed: deny by default.
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
  const config = (route.config ?? {}) as { requires?: unknown; public?: unknown };
  const name = `${String(route.method)} ${route.url}`;
  const hasRequires = Array.isArray(config.requires);
  const isPublic = config.public === true;
  if (hasRequires === isPublic) return `${name} must declare exactly one of config.requires or config.public`;
  if (hasRequires && !(config.requires as unknown[]).every((p) => typeof p === 'string' && isPermission(p))) {
    return `${name} declares an unknown permission`;
  }
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
