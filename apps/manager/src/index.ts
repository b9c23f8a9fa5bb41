export { buildApp, type AppDeps, BODY_LIMIT_BYTES } from './app.js';
export { loadConfig, loadDatabaseUrl, ConfigError, type ManagerConfig, type ConfigIssue } from './config/index.js';
export {
  authorize,
  authorizeOwned,
  hasPermission,
  inGroupScope,
  groupScopeOf,
  type ResourceScope,
} from './auth/authorize.js';
export type { Principal, UserPrincipal, ApiKeyPrincipal, SystemPrincipal, GroupScope } from './auth/principal.js';
export { AppError, isAppError } from './errors/app-error.js';
export { ERROR_CODES, type ErrorCode } from './errors/error-codes.js';
export { errors as errorResponses, ErrorBody, ErrorBodyRef, IdParams, Uuid, DateTime } from './http/schemas.js';
export type { Clock } from './clock.js';
export type { RegisteredRoute } from './http/route-declarations.js';
