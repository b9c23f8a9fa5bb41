// A printer's profile: what the manager and the worker need to drive it
// safely. Heater caps are required and bounded: the safety guard refuses any
// temperature above them, so they must be entered explicitly, never defaulted.
import { Type, type Static } from 'typebox';

export const FIRMWARE_FLAVOURS = ['marlin', 'prusa', 'rrf', 'klipper'] as const;
export const FLOW_CONTROL_MODES = ['auto', 'pingpong', 'window'] as const;

/** Hard upper bounds for caps an admin may enter (°C). */
export const HOTEND_CAP_MAX_C = 450;
export const BED_CAP_MAX_C = 150;
export const CHAMBER_CAP_MAX_C = 90;

const Mm = (max: number) => Type.Number({ exclusiveMinimum: 0, maximum: max });
const Script = Type.String({ maxLength: 8192 });

export const BedShape = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('rectangular'),
      widthMm: Mm(2000),
      depthMm: Mm(2000),
      origin: Type.Union([Type.Literal('front-left'), Type.Literal('center')]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('round'), diameterMm: Mm(2000) }, { additionalProperties: false }),
]);

export const HeaterCaps = Type.Object(
  {
    /** One cap per tool, in tool order (T0, T1, ...). */
    hotendsMaxC: Type.Array(Type.Integer({ minimum: 1, maximum: HOTEND_CAP_MAX_C }), { minItems: 1, maxItems: 16 }),
    bedMaxC: Type.Integer({ minimum: 1, maximum: BED_CAP_MAX_C }),
    chamberMaxC: Type.Optional(Type.Integer({ minimum: 1, maximum: CHAMBER_CAP_MAX_C })),
  },
  { additionalProperties: false },
);

export const GcodeScripts = Type.Object(
  {
    start: Type.Optional(Script),
    pause: Type.Optional(Script),
    resume: Type.Optional(Script),
    cancel: Type.Optional(Script),
    bedEject: Type.Optional(Script),
  },
  { additionalProperties: false },
);

export const CameraSettings = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('snapshot-url'),
      url: Type.String({ maxLength: 2048, pattern: '^https?://[^\\s]+$' }),
      intervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('v4l2'),
      device: Type.String({ maxLength: 200, pattern: '^/dev/[A-Za-z0-9/._-]+$' }),
      intervalSeconds: Type.Integer({ minimum: 1, maximum: 3600 }),
    },
    { additionalProperties: false },
  ),
]);

export const PrinterProfile = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 100 }),
    bed: BedShape,
    heightMm: Mm(2000),
    nozzleDiameterMm: Type.Number({ minimum: 0.1, maximum: 2 }),
    heaters: HeaterCaps,
    firmware: Type.Enum(FIRMWARE_FLAVOURS),
    baudRate: Type.Integer({ minimum: 1200, maximum: 4_000_000 }),
    flowControl: Type.Enum(FLOW_CONTROL_MODES),
    receiveBufferBytes: Type.Integer({ minimum: 16, maximum: 65_536 }),
    scripts: GcodeScripts,
    material: Type.Optional(
      Type.Object(
        {
          type: Type.String({ minLength: 1, maxLength: 40 }),
          colour: Type.Optional(Type.String({ maxLength: 40 })),
        },
        { additionalProperties: false },
      ),
    ),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9 ._:-]+$' }), { maxItems: 20 }),
    camera: Type.Optional(CameraSettings),
    /** Connect as soon as the worker starts (default true); false waits for a `connect` control. */
    autoConnect: Type.Optional(Type.Boolean()),
    /** The worker's heater watchdog switches heaters off after this many minutes without a job or a user command (default 10). */
    heaterIdleMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 240 })),
  },
  { additionalProperties: false },
);

export type PrinterProfile = Static<typeof PrinterProfile>;
export type FirmwareFlavour = (typeof FIRMWARE_FLAVOURS)[number];
export type FlowControlMode = (typeof FLOW_CONTROL_MODES)[number];
