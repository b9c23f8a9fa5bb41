// Schemas shared by many routes: the error body and common shapes.
import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { PERMISSIONS, ROLES } from '@farm/contracts';

export const ErrorBody = Type.Object(
  { error: Type.String(), message: Type.String(), requestId: Type.String() },
  { additionalProperties: false },
);

/** Schemas registered once on the app (`registerSharedSchemas`) and referenced by `$id`. */
export const SHARED_SCHEMAS = [{ ...ErrorBody, $id: 'ErrorBody' }] as const;

/** A reference to the shared error body: the OpenAPI document lists it once in components. */
export const ErrorBodyRef = Type.Unsafe<Static<typeof ErrorBody>>(Type.Ref('ErrorBody'));

export function registerSharedSchemas(app: FastifyInstance): void {
  for (const schema of SHARED_SCHEMAS) app.addSchema(schema);
}

/** Error responses by status; every route lists the ones it can answer. */
export function errors(...statuses: number[]): Record<number, TSchema> {
  const out: Record<number, TSchema> = {};
  for (const status of new Set([400, 401, 403, 429, ...statuses])) out[status] = ErrorBodyRef;
  return out;
}

export const Uuid = Type.String({ format: 'uuid' });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export const RoleSchema = Type.Enum(ROLES);
export const PermissionSchema = Type.Enum(PERMISSIONS);
export const Username = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$' });
/** Length is checked by the password policy (no truncation; a generous cap). */
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
/** Response timestamps: handlers return Dates, the serializer writes ISO 8601. */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
/** Timestamps read from requests stay strings. */
export const DateTimeInput = Type.String({ format: 'date-time' });
export const NoContent = Type.Null();
