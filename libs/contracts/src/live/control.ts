// Control requests the manager sends to a printer's worker over its control
// stream, and the result the worker returns for each. Only ids and small
// parameters travel; every request is signed (control-signing.ts) and the
// worker re-checks the resulting G-code with the safety guard before the wire.
import { Type, type Static } from 'typebox';
import { HeaterId, PrinterId } from './printer-live.js';

const Feedrate = Type.Number({ exclusiveMinimum: 0, maximum: 100_000, description: 'mm/min' });
const JogDistance = Type.Number({ minimum: -1000, maximum: 1000, description: 'mm, relative' });

export const ControlCommand = Type.Union([
  Type.Object({ kind: Type.Literal('connect') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('disconnect') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('pause') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('resume') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('cancel') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('emergency-stop') }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('home'), axes: Type.Array(Type.Union([Type.Literal('x'), Type.Literal('y'), Type.Literal('z')]), { maxItems: 3, uniqueItems: true }) },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('jog'), x: Type.Optional(JogDistance), y: Type.Optional(JogDistance), z: Type.Optional(JogDistance), feedrate: Type.Optional(Feedrate) },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('extrude'),
      tool: Type.Integer({ minimum: 0, maximum: 7 }),
      amountMm: Type.Number({ minimum: -200, maximum: 200, description: 'negative retracts' }),
      feedrate: Type.Optional(Feedrate),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('set-temperature'), heater: HeaterId, targetC: Type.Number({ minimum: 0, maximum: 500 }) }, { additionalProperties: false }),
  Type.Object(
    { kind: Type.Literal('fan'), index: Type.Integer({ minimum: 0, maximum: 7 }), speed: Type.Number({ minimum: 0, maximum: 1, description: 'fraction of full speed' }) },
    { additionalProperties: false },
  ),
  // One terminal line: no line breaks (one request must never become two commands).
  Type.Object({ kind: Type.Literal('terminal'), line: Type.String({ minLength: 1, maxLength: 256, pattern: '^[^\\r\\n\\u0000]*$' }) }, { additionalProperties: false }),
]);
export type ControlCommand = Static<typeof ControlCommand>;
export type ControlKind = ControlCommand['kind'];

/** The printer id an emergency stop uses to mean every printer the worker serves. */
export const ALL_PRINTERS = '*';

export const ControlRequest = Type.Object(
  {
    /** Signature scheme version. */
    v: Type.Literal(1),
    id: Type.String({ pattern: '^[A-Za-z0-9_-]{8,64}$' }),
    /** A printer id, or `*` (emergency stop only) for all. */
    printerId: Type.Union([PrinterId, Type.Literal(ALL_PRINTERS)]),
    issuedAt: Type.Integer({ minimum: 0, description: 'ms since epoch' }),
    nonce: Type.String({ pattern: '^[0-9a-f]{32}$' }),
    issuedBy: Type.Object({ userId: Type.String({ maxLength: 64 }), role: Type.String({ maxLength: 32 }) }, { additionalProperties: false }),
    command: ControlCommand,
  },
  { additionalProperties: false },
);
export type ControlRequest = Static<typeof ControlRequest>;

export const SignedControl = Type.Object(
  { ...ControlRequest.properties, signature: Type.String({ pattern: '^[0-9a-f]{64}$' }) },
  { additionalProperties: false },
);
export type SignedControl = Static<typeof SignedControl>;

export const ControlErrorCode = Type.Union([
  Type.Literal('malformed'),
  Type.Literal('bad-signature'),
  Type.Literal('stale'),
  Type.Literal('replayed'),
  Type.Literal('refused-by-safety'),
  Type.Literal('not-connected'),
  Type.Literal('busy'),
  Type.Literal('failed'),
]);
export type ControlErrorCode = Static<typeof ControlErrorCode>;

export const ControlResult = Type.Object(
  {
    requestId: Type.String({ maxLength: 64 }),
    printerId: PrinterId,
    at: Type.Integer({ minimum: 0 }),
    outcome: Type.Union([
      Type.Object({ ok: Type.Literal(true), output: Type.Optional(Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 200 })) }, { additionalProperties: false }),
      Type.Object({ ok: Type.Literal(false), code: ControlErrorCode, message: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
    ]),
  },
  { additionalProperties: false },
);
export type ControlResult = Static<typeof ControlResult>;
